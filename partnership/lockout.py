"""Who a failed sign-in was aimed at, and from where, for django-axes' lockouts.

allauth's sign-in form posts the email address as `login` and passes it to Django's
authenticate() as `email`; axes on its own looks for one field name only and, finding
none, stored every failure with no account, so five wrong passwords locked everyone
behind the same address (a school office, or all users behind the TLS proxy).
"""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied


def email_tried(request, credentials=None) -> str | None:
    """The email address a sign-in attempt used, lower-cased as allauth matches it."""
    for source in (credentials or {}, getattr(request, "POST", {})):
        for field in ("email", "login", "username"):
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return None


def client_address(request) -> str | None:
    """The client's address by allauth's rule, so lockouts and rate limits agree: the
    X-Forwarded-For entry added by the outermost of ALLAUTH_TRUSTED_PROXY_COUNT proxies we
    run, else REMOTE_ADDR. Entries to its left are the client's own say and never trusted."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        # No address at all: a sign-in made in code (force_login), not over HTTP.
        return None
