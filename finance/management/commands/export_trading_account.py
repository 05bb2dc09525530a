import datetime

from django.core.management.base import BaseCommand, CommandError

from finance import reports
from partnership.calendars import FinancialYear


class Command(BaseCommand):
    help = (
        "Print the trading account of a financial year as CSV: side,code,name,budget,actual,"
        "forecast, one row per line, then the income, expenditure and surplus totals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--financial-year", required=True, help="For example, 2026-27")
        parser.add_argument(
            "--on", help="The day the account is drawn up on, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, financial_year, on=None, **options):
        try:
            year = str(FinancialYear.parse(financial_year))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        today = None
        if on:
            try:
                today = datetime.date.fromisoformat(on)
            except ValueError as exc:
                raise CommandError(f"--on: not a date like 2027-03-31: {on!r}") from exc
        self.stdout.write(reports.trading_account_csv(year, today), ending="")
