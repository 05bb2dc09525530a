from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.backups import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format) and MEDIA_ROOT into "
        "backups/<UTC timestamp>/ with a manifest and SHA-256 checksums (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", default="backups", help="Folder to put the backup in")

    def handle(self, *args, to, **options):
        try:
            folder = make_backup(Path(to))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {folder}")
