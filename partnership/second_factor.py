"""Who must use a second factor, and whether this session has passed it.

Finance officers, coordinators, staff and superusers reach money, people and the admin, so a
password alone is not enough. The check is on the session, not the account: having an
authenticator app is worth nothing if this sign-in never asked for its code (a password-only
sign-in at the admin's own login page once reached the ledger that way). allauth records each
step of a sign-in in the session; a session counts as two-factor once it holds an "mfa" step.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from .roles import Role

ROLES_NEEDING_SECOND_FACTOR = (Role.FINANCE, Role.COORDINATOR)
# Paths someone still to set up an authenticator app may use; everything else waits for it.
SETUP_PREFIXES = ("/accounts/", "/static/", "/media/")


def needs_second_factor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.role in ROLES_NEEDING_SECOND_FACTOR or user.is_staff or user.is_superuser)
    )


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request) -> bool:
    """This session (not merely this account) completed a second-factor step."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def record_second_factor(request, user, **extra):
    """Note in the session that this person has just proved they hold their authenticator."""
    record_authentication(request, user, "mfa", **extra)


@receiver(authenticator_added)
def setting_up_an_authenticator_proves_it(sender, request, user, authenticator, **kwargs):
    # Activating an app means typing a code it shows: the same proof a sign-in asks for.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_second_factor(request, user, id=authenticator.pk, type=authenticator.type)


class SecondFactorMiddleware:
    """People who need a second factor use the portal only in a session that passed it.

    Without an authenticator app yet: sent to set one up (only the account pages are open).
    With one, but this session never asked for its code: signed out and sent to sign in
    again, where allauth asks for it. Not even the account pages stay open to such a
    session, since from there a password alone could remove the app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not request.path.startswith(("/static/", "/media/"))
            and not passed_second_factor(request)
        ):
            if has_authenticator(user):
                logout(request)
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if not request.path.startswith(SETUP_PREFIXES):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def admin_login(request, extra_context=None):
    """The admin signs in through the portal's own sign-in, with its second factor."""
    if request.user.is_authenticated:
        # Signed in but not staff (staff are let into the admin): the sign-in page would only
        # send them back here.
        raise PermissionDenied
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), reverse("account_login")
    )


def staff_idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60


@receiver(user_logged_in)
def staff_sessions_end_when_idle(sender, request, user, **kwargs):
    """A finance officer's, coordinator's or admin's session ends after a spell unused
    (STAFF_SESSION_IDLE_MINUTES), not after the two weeks a school's does."""
    if request is not None and needs_second_factor(user):
        request.session.set_expiry(staff_idle_seconds())


class StaffIdleTimeoutMiddleware:
    """Keeps an active staff session alive: its expiry is moved on when less than half of
    the idle time is left, so the session is written about once per half-window rather
    than on every page (a write per page would cost every page a query). A session left
    unused for the whole idle time has expired, and its next page asks to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and needs_second_factor(user):
            idle = staff_idle_seconds()
            if request.session.get_expiry_age() < idle / 2:
                request.session.set_expiry(idle)
        return self.get_response(request)
