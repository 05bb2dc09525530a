"""Making, checking and revoking API tokens. Only a token's SHA-256 digest is stored."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from partnership.models import ApiToken
from partnership.roles import Role

# Who may hold a token: the roles with at least one endpoint to read.
TOKEN_ROLES = (Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE)
TOKEN_PREFIX = "sip_"
# Assumption: a year, so a token handed to a reporting system is looked at again yearly.
TOKEN_LIFETIME = datetime.timedelta(days=365)
# Writing "last used" on every request would add a write to each read; once an hour is
# enough to tell a token in use from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(hours=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for this person; returns the record and the token, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user=user,
        name=name.strip(),
        digest=digest_of(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=timezone.now() + TOKEN_LIFETIME,
    )
    record._history_user = user
    record.save()
    return record, token


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> None:
    """Stop a token working at once; the record stays, so its history can be read."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token._history_user = by
        token.save(update_fields=["revoked_at"])


def user_for_token(token: str):
    """The active person this token acts for, or None if it is unknown, revoked or expired."""
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        # An update, not save(): using a token is not a change to its history.
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")
