from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

from .roles import Role

# Paths a finance officer may use before setting up two-factor authentication.
MFA_SETUP_PREFIXES = ("/accounts/", "/static/", "/media/")


class FinanceOfficerMFAMiddleware:
    """Finance officers handle the trading account and must use two-factor authentication.

    Until they have added an authenticator app they are sent to set one up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role == Role.FINANCE
            and not request.path.startswith(MFA_SETUP_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
