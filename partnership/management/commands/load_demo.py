from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
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
        parser.add_argument(
            "--force-demo",
            action="store_true",
            help="Load the demo with DEBUG off too (a throwaway database, never a real portal).",
        )

    def handle(self, *args, file, gias, force_demo, **options):
        # The demo makes an account for every role, finance and the admin included, with a
        # published password and authenticator key: never in a real portal by accident.
        if not settings.DEBUG and not force_demo:
            raise CommandError(
                "load_demo makes accounts with a published password and authenticator key, "
                "so it runs only with DEBUG on (make run). To load it into a throwaway "
                "database with DEBUG off, pass --force-demo."
            )
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
