from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join by invitation from a coordinator; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        return reverse("dashboard")
