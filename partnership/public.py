"""Pages anyone may read without signing in, and how browsers and proxies may keep them.

A public page is the same for every visitor who is not signed in, so it may be kept by
the visitor's browser and by shared caches (a school's or council's proxy) for a few
minutes: `Cache-Control: public, max-age=...`. Nothing is kept on the server (issue 17
retired the whole-page cache). The same page seen by someone signed in carries their
menu and may carry their school's prices, so it is `private, no-cache`: no shared cache
keeps it and the browser asks again before showing it.

`public_page` marks a view; `PublicPageCacheMiddleware` decides once every other
middleware has finished with the response, because only then is it known whether the
response sets a cookie (a message shown once, a session, a CSRF token): such a response
belongs to one visitor and is never marked public.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_PAGE = "_public_page"


def public_page(view):
    """Let anyone open the view, signed in or not, and let anonymous responses be cached."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # A message waiting for this visitor (such as "You have signed out") is shown on the
        # page: that page is theirs alone. Counting them does not mark them as shown.
        personal = request.user.is_authenticated or len(get_messages(request)) > 0
        response = view(request, *args, **kwargs)
        setattr(response, PUBLIC_PAGE, not personal)
        return response

    wrapped.public = True
    return wrapped


def is_public(callback) -> bool:
    """Whether a URL's view is a public page (for the URL walk in the tests)."""
    return bool(getattr(callback, "public", False))


class PublicPageCacheMiddleware:
    """Sets the caching headers of public pages (see the module's docstring). Listed before
    the session, CSRF and messages middleware, so it sees the cookies they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        anonymous = getattr(response, PUBLIC_PAGE, None)
        if anonymous is None:
            return response  # not a public page: its own view decides
        cacheable = (
            anonymous
            and response.status_code == 200
            and not response.cookies
            and not response.has_header("Set-Cookie")
        )
        if cacheable:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
            # A shared cache must not hand the anonymous page to someone signed in.
            patch_vary_headers(response, ["Cookie"])
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
