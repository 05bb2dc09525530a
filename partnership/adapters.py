from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.urls import reverse

# Set while a password chosen from an emailed link (an invitation or a reset) waits for the
# sign-in it leads to, which may come a page later, after the authenticator's code.
PASSWORD_SAVED = "portal_password_saved"


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join by invitation from a coordinator; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        return reverse("dashboard")

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        """One message, not two, when a password chosen from a link signs the person in:
        allauth says "Password successfully changed" and then "Successfully signed in"."""
        signed_in = getattr(request, "user", None) and request.user.is_authenticated
        if message_template == "account/messages/password_changed.txt" and not signed_in:
            request.session[PASSWORD_SAVED] = True
            return
        if message_template == "account/messages/logged_in.txt" and request.session.pop(
            PASSWORD_SAVED, False
        ):
            messages.success(request, "Your password is saved and you are signed in.")
            return
        super().add_message(request, level, message_template, *args, **kwargs)
