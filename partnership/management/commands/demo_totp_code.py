from django.core.management.base import BaseCommand

from partnership.demo import DEMO_PEOPLE, current_totp_code
from partnership.models import User
from partnership.roles import Role


class Command(BaseCommand):
    help = "Print the demo finance officer's current two-factor code."

    def handle(self, *args, **options):
        email = next(p[0] for p in DEMO_PEOPLE if p[3] == Role.FINANCE)
        self.stdout.write(current_totp_code(User.objects.get(email=email)))
