from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import User
from .permissions import FINANCE_INVITE_REFUSED, may_invite_finance_officers
from .roles import Role


def invite_user(*, email, first_name, last_name, role, invited_by, request=None, job_title=""):
    """Create a person's account and email them a link to choose their password.

    The coordinator vouches for the address, and the link can only be used by whoever
    reads that mailbox, so the address is recorded as verified.
    """
    if role == Role.FINANCE and not may_invite_finance_officers(invited_by):
        raise PermissionDenied(FINANCE_INVITE_REFUSED)
    email = email.strip().lower()
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=first_name,
        last_name=last_name,
        role=role,
        job_title=job_title,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    link = request.build_absolute_uri(path) if request else path
    body = render_to_string(
        "emails/invitation.txt", {"user": user, "link": link, "invited_by": invited_by}
    )
    transaction.on_commit(
        lambda: send_mail(
            "You have been invited to the partnership portal",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    )
    return user
