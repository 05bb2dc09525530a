"""The monthly run bills delivered bookings per school and LA-commissioned support to the LA."""

import datetime
from decimal import Decimal

import pytest

from finance.models import Invoice, LedgerEntry
from finance.services import run_monthly_bookings

D = Decimal
pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)


def test_one_invoice_per_school_and_one_to_the_la_for_its_support(
    partnership_record, deliveries, school_a, school_b
):
    invoice, to_la = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert invoice.school == school_a
    # non-member prices: 2 SLE networks at £4,500 and an adviser visit at £600
    assert [(line.quantity, line.unit_price, line.net) for line in invoice.lines.all()] == [
        (D("2.00"), D("4500.00"), D("9000.00")),
        (D("1.00"), D("600.00"), D("600.00")),
    ]
    assert invoice.purchase_order == "PO-77"
    # Two adviser visits commissioned for school B at the LA price (the member price, £450).
    assert (to_la.school, to_la.bill_to, to_la.gross_total) == (
        None,
        "Hillingdon Council",
        D("900.00"),
    )
    [la] = LedgerEntry.objects.filter(invoice_line__invoice=to_la)
    assert (la.amount, la.side, la.entry_date, la.income_account, la.school) == (
        D("900.00"),
        "income",
        datetime.date(2026, 10, 9),
        "commissioned",
        school_b,
    )
    sales = LedgerEntry.objects.filter(invoice_line__invoice=invoice)
    assert sum(e.amount for e in sales) == D("9600.00")
    assert {e.entry_date for e in sales} == {datetime.date(2026, 10, 6)}


def test_running_the_month_again_creates_nothing_twice(partnership_record, deliveries):
    run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 2)) == []
    assert Invoice.objects.count() == 2
    assert Invoice.objects.filter(school=None).count() == 1
