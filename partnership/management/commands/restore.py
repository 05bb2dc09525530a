import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into a database named by --database or "
        "RESTORE_DATABASE (and its files into --media-root or RESTORE_MEDIA_ROOT), then compare "
        "every table's rows with the backup's manifest (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's folder, like backups/20261202T091500Z")
        parser.add_argument("--database", default=os.environ.get("RESTORE_DATABASE", ""))
        parser.add_argument("--media-root", default=os.environ.get("RESTORE_MEDIA_ROOT", ""))
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop and replace a database (and empty a media folder) that holds something",
        )
        parser.add_argument(
            "--owner", default="", help="Role to own what is restored (the migration role)"
        )

    def handle(self, *args, **options):
        try:
            result = restore(
                Path(options["backup"]),
                database=options["database"],
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                replace=options["replace"],
                owner=options["owner"] or None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored into the database {result.database}")
        if result.media_root:
            self.stdout.write(f"Files restored into {result.media_root}")
        if result.differences:
            for table, (expected, found) in result.differences.items():
                self.stderr.write(f"{table}: {expected} rows in the backup, {found} restored")
            raise CommandError("The restored rows differ from the backup's manifest")
        self.stdout.write("Every table has the rows the manifest lists")
