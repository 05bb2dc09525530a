import csv
import io
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from membership import selectors


class Command(BaseCommand):
    help = (
        "Print the fee every open school would pay in a tier as CSV: "
        "urn,name,category,pupils,tier,fee,basis "
        "(a row with no fee and the reason when none can be computed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tier", required=True, help="tier code, as in the partnership file")
        parser.add_argument(
            "--join-date", help="YYYY-MM-DD: the pro-rata fee for schools joining that day"
        )
        parser.add_argument("--year", help="academic year like 2026/27 (default: the current year)")

    def handle(self, *args, tier, join_date=None, year=None, **options):
        joined_on = None
        if join_date:
            try:
                joined_on = date.fromisoformat(join_date)
            except ValueError as exc:
                raise CommandError(
                    f"--join-date: not a date like 2027-01-15: {join_date!r}"
                ) from exc
        membership_year = selectors.year_named(year) if year else selectors.current_year()
        if membership_year is None:
            raise CommandError(
                f"no membership year {year}" if year else "no membership year is loaded"
            )
        try:
            rows = selectors.fee_schedule_csv_rows(
                year=membership_year, tier_code=tier, joined_on=joined_on
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        self.stdout.write(buffer.getvalue(), ending="")
