"""Authenticator secrets are stored encrypted.

allauth keeps each TOTP secret and recovery-code seed in the database and leaves
encrypting them to the project. They are encrypted here with Fernet (AES and an HMAC)
under a key derived from SECRET_KEY, so a copy of the database alone does not let
anyone make second-factor codes. Rotating SECRET_KEY: put the old key in
DJANGO_SECRET_KEY_FALLBACKS until `python manage.py encrypt_second_factors` has
re-encrypted every secret under the new one (docs/security.md).
"""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

PREFIX = "fernet:"


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"partnership.mfa:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def keys() -> MultiFernet:
    """The current key first (it encrypts), then the fallbacks (they only decrypt)."""
    return MultiFernet(
        [_fernet(settings.SECRET_KEY)]
        + [_fernet(key) for key in getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    )


def encrypt_secret(text: str) -> str:
    return PREFIX + keys().encrypt(text.encode()).decode()


def decrypt_secret(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before secrets were encrypted; the migration encrypts these
    return keys().decrypt(stored[len(PREFIX) :].encode()).decode()


def reencrypt(stored: str) -> str:
    """The secret under the current key (from any key it was stored under)."""
    return encrypt_secret(decrypt_secret(stored))


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


def encrypted_data(data: dict) -> dict:
    """An authenticator's data with every secret in it under the current key."""
    data = dict(data)
    for field in ("secret", "seed"):
        if isinstance(data.get(field), str):
            data[field] = reencrypt(data[field])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [reencrypt(code) for code in data["migrated_codes"]]
    return data
