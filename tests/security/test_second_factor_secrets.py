"""Authenticator secrets are stored encrypted under a key derived from SECRET_KEY, and
survive a key rotation while the old key is a fallback."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from cryptography.fernet import InvalidToken
from django.core.management import call_command

from partnership.demo import DEMO_TOTP_SECRET, current_totp_code
from partnership.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def totp_row(user):
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def test_a_totp_secret_is_not_stored_in_the_clear():
    officer = UserFactory(role=Role.FINANCE)
    stored = totp_row(officer).data["secret"]
    assert stored.startswith("fernet:") and DEMO_TOTP_SECRET not in stored
    assert decrypt(stored) == DEMO_TOTP_SECRET
    assert len(current_totp_code(officer)) == 6


def test_a_rotated_key_reads_old_secrets_only_while_the_old_key_is_a_fallback(settings):
    officer = UserFactory(role=Role.FINANCE)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-the-test-0123456789abcdefghijklmnopqrstuvwxyz"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert decrypt(totp_row(officer).data["secret"]) == DEMO_TOTP_SECRET
    call_command("encrypt_second_factors", stdout=open("/dev/null", "w"))
    settings.SECRET_KEY_FALLBACKS = []
    assert decrypt(totp_row(officer).data["secret"]) == DEMO_TOTP_SECRET  # re-encrypted
    settings.SECRET_KEY = old_key
    with pytest.raises(InvalidToken):
        decrypt(totp_row(officer).data["secret"])


def test_secrets_stored_in_the_clear_before_are_encrypted_by_the_command():
    officer = UserFactory(role=Role.FINANCE)
    Authenticator.objects.filter(pk=totp_row(officer).pk).update(data={"secret": DEMO_TOTP_SECRET})
    call_command("encrypt_second_factors", stdout=open("/dev/null", "w"))
    stored = totp_row(officer).data["secret"]
    assert stored.startswith("fernet:") and decrypt(stored) == DEMO_TOTP_SECRET
