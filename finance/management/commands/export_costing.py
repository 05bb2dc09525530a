from django.core.management.base import BaseCommand, CommandError

from finance import reports, selectors
from partnership.calendars import FinancialYear


def default_budget_year():
    """The budget of the current membership year (the FY it starts in), else the latest loaded."""
    from membership.selectors import current_year

    year = current_year()
    if year is not None:
        return selectors.financial_year_of(year.academic_year)
    years = selectors.budget_years()
    return years[0] if years else None


class Command(BaseCommand):
    help = "Print the costing CSV: code,name,kind,quantity,unit_cost,amount and the three totals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", help="Financial year, e.g. 2026-27 (default: the current budget)"
        )

    def handle(self, *args, year=None, **options):
        if year:
            try:
                year = str(FinancialYear.parse(year))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        else:
            year = default_budget_year()
        if year is None:
            raise CommandError(
                "No budget is loaded: load a partnership file with a costs: section first"
            )
        self.stdout.write(reports.costing_csv(year), ending="")
