from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from partnership.mfa_adapter import encrypted_data


class Command(BaseCommand):
    help = (
        "Encrypt every authenticator secret under the current SECRET_KEY (after a key "
        "rotation, with the old key still in DJANGO_SECRET_KEY_FALLBACKS)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            authenticators = list(Authenticator.objects.select_for_update())
            for authenticator in authenticators:
                authenticator.data = encrypted_data(authenticator.data)
            Authenticator.objects.bulk_update(authenticators, ["data"])
        self.stdout.write(f"{len(authenticators)} authenticators encrypted under the current key")
