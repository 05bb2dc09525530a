"""Keep a signed-in person's rendered page until the data behind it changes.

The lists, dashboards and reports are built from tens of thousands of rows, and the same person
often loads the same page again (back from a record, after a refresh) while nothing has changed.
The kept page is filed under PostgreSQL's current snapshot (``pg_current_snapshot()``): two
requests that see the same snapshot see exactly the same committed rows, and any commit anywhere
gives a new snapshot. So a kept page is never older than the data; after any change the next
request builds the page afresh.

What else a page depends on is in the key as well: the person, their session and their CSRF
cookie (the page's forms carry a token made from it), the address with its query, the htmx
headers, today's date in the UK and the release. Never kept: anything but a GET of a 200 HTML
page; a request with messages waiting to be shown; a request inside a transaction (its own
changes are not in the snapshot); a response marked ``never_cache`` (job and import progress, which
lives in Redis, not the database). Only on PostgreSQL; on SQLite every page is built each time.
"""

import functools
import hashlib
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER", "HTTP_HX_BOOSTED")


@functools.cache
def release():
    """settings.RELEASE, or else a fingerprint of the code and templates as deployed.

    A page kept by the old code must not outlive a deployment that changes how it looks.
    """
    if settings.RELEASE:
        return settings.RELEASE
    # The project's own apps (not the installed libraries) and its templates folder.
    folders = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(sys.prefix)  # a virtualenv inside the project
    ] + [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def database_snapshot():
    """The committed state this request would read, or None when it cannot be named.

    Inside a transaction (never so in the portal, where each view's transaction starts after
    this middleware) the request could read its own changes, which no snapshot names.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def page_key(request, snapshot):
    parts = [
        release(),
        snapshot,
        str(request.user.pk),
        request.session.session_key or "",
        request.META.get("CSRF_COOKIE", ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *(request.META.get(header, "") for header in HTMX_HEADERS),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def may_keep(response):
    cache_control = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Disposition")
        and not response.cookies
        and not any(header.lower().startswith("hx-") for header in response.headers)
        and not cache_control & {"no-cache", "no-store", "private", "max-age"}
    )


class PageCacheMiddleware:
    """Last in MIDDLEWARE: the sign-in, two-factor and throttling checks run before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not request.user.is_authenticated
            or not request.META.get("CSRF_COOKIE")
            or len(get_messages(request))  # counting does not mark them shown
        ):
            return self.get_response(request)
        snapshot = database_snapshot()
        if snapshot is None:
            return self.get_response(request)
        key = page_key(request, snapshot)
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            return HttpResponse(content, content_type=content_type)
        response = self.get_response(request)
        if may_keep(response):
            cache.set(
                key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS
            )
        return response
