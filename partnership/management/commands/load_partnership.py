from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.partnership_file import PartnershipFileError, load_text


class Command(BaseCommand):
    help = "Load a partnership file (YAML). Changes nothing and lists every problem if invalid."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"file: cannot read {file}: {exc}") from exc
        try:
            summary = load_text(text)
        except PartnershipFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {file}; nothing was changed"
            ) from exc
        for section, outcome in summary.items():
            self.stdout.write(f"{section}: {outcome}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {file}"))
