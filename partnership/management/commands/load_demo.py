from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnership.demo import (
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_TOTP_SECRET,
    build_app_demos,
    build_people,
)

EXAMPLES = Path(settings.BASE_DIR) / "examples"


class Command(BaseCommand):
    help = "Load the demo partnership, schools and one person per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(EXAMPLES / "demo-partnership.yaml"))
        parser.add_argument("--gias", default=str(EXAMPLES / "gias-demo.csv"))

    def handle(self, *args, file, gias, **options):
        with transaction.atomic():
            call_command("import_gias", gias, "--census-date", "2026-01-15", stdout=self.stdout)
            call_command("load_partnership", file, stdout=self.stdout)
            people = build_people()
            build_app_demos({"people": people})
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for email, _first, _last, role, _title in DEMO_PEOPLE:
            self.stdout.write(f"  {role.label:45} {email}")
        self.stdout.write(
            "  The finance officer also needs a code from an authenticator app set up with "
            "the key\n"
            f"  {DEMO_TOTP_SECRET}, or run: .venv/bin/python manage.py demo_totp_code"
        )
