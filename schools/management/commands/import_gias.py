import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.services import GiasFileError, import_gias


def census_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"census date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Import a GIAS establishment CSV into the register of schools, matching by URN. "
        "Prints 'created N, updated N, unchanged N, rejected N' and each rejected line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--la",
            action="append",
            dest="la_codes",
            metavar="CODE",
            help="only schools of this LA code (repeat for several, e.g. --la 312 --la 202)",
        )
        parser.add_argument(
            "--census-date",
            type=census_date,
            help=(
                "record NumberOfPupils at this census date (YYYY-MM-DD) instead of each "
                "row's own CensusDate"
            ),
        )

    def handle(self, *args, file, la_codes, census_date, **options):
        if not file.is_file():
            raise CommandError(f"cannot read {file}: No such file")
        try:
            report = import_gias(file, la_codes=la_codes, census_date=census_date, source=file.name)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        except GiasFileError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was changed.") from exc
        for line in report.lines():
            self.stdout.write(line)
