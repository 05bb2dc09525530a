"""Demo finance: the year's membership invoices, invoices for delivered bookings, a payment
and a journal, so every finance page has something to show. Idempotent: runs bill each
source once, and the payment and journal are only added when there are none yet."""

import datetime
from decimal import Decimal

from partnership.calendars import AcademicYear, first_of_month
from partnership.roles import Role

from . import services
from .models import BudgetLine, LedgerEntry, Payment


def build(context):
    from membership.selectors import current_year

    year = current_year()
    if year is None:
        return
    finance = context.get("people", {}).get(Role.FINANCE)
    academic = AcademicYear.parse(year.academic_year)
    invoices = services.run_annual_membership_invoices(
        academic_year=year.academic_year, issue_date=academic.starts_on, issued_by=finance
    )
    today = datetime.date.today()
    month = academic.starts_on
    while month <= min(today, academic.ends_on):
        services.run_monthly_bookings(
            month=month, issue_date=min(today, first_of_month(month, 1)), issued_by=finance
        )
        month = first_of_month(month, 1)
    if invoices and not Payment.objects.exists():
        first = invoices[0]
        services.record_payment(
            invoice=first,
            amount=first.gross_total,
            received_on=academic.starts_on + datetime.timedelta(days=20),
            method="internal_recharge",
            reference="Demo recharge",
            recorded_by=finance,
        )
    chair = BudgetLine.objects.filter(code="chair").order_by("-starts_on").first()
    if (
        chair is not None
        and not LedgerEntry.objects.filter(entry_type=LedgerEntry.EntryType.JOURNAL).exists()
    ):
        services.record_journal(
            side=LedgerEntry.Side.EXPENDITURE,
            amount=Decimal("1800"),
            budget_line=chair,
            entry_date=academic.starts_on,
            description="Independent chair: three days",
            reason="Chair's invoice 2026-01",
            entered_by=finance,
        )
