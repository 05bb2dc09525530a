from django.core.management.base import BaseCommand, CommandError

from finance import reports, selectors
from finance.models import BudgetLine


def default_budget_year():
    """The budget of the current membership year, else the latest loaded."""
    from membership.selectors import current_year

    year = current_year()
    if year is not None:
        return year.academic_year
    latest = BudgetLine.objects.order_by("-starts_on").first()
    return latest.budget_year if latest else None


class Command(BaseCommand):
    help = "Print the costing CSV: code,name,kind,quantity,unit_cost,amount and the three totals."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            help=(
                "The partnership year budgeted, 2026/27, or the financial year it starts in, "
                "2026-27 (default: the current membership year's budget)"
            ),
        )

    def handle(self, *args, year=None, **options):
        if year:
            try:
                year = selectors.budget_year_named(year)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        else:
            year = default_budget_year()
        if year is None:
            raise CommandError(
                "No budget is loaded: load a partnership file with a costs: section first"
            )
        self.stdout.write(reports.costing_csv(year), ending="")
