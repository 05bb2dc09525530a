"""The monthly run bills delivered bookings per school and records LA-commissioned support."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from finance.models import Invoice, LedgerEntry
from finance.services import run_monthly_bookings
from offers.models import Offer
from offers.services_bookings import book, commission, confirm, mark_delivered
from partnership.partnership_file import load_text

D = Decimal
pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def deliveries(school_a, school_b, head_a, coordinator):
    load_text((Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml").read_text())
    network = Offer.objects.get(code="sle-network")
    visit = Offer.objects.get(code="adviser-visit")
    first = book(
        school=school_a,
        offer=network,
        units=2,
        by=head_a,
        academic_year="2026/27",
        purchase_order="PO-77",
    )
    second = book(school=school_a, offer=visit, units=1, by=head_a, academic_year="2026/27")
    for booking in (first, second):
        booking.refresh_from_db()
        if booking.status == "requested":
            confirm(booking=booking, by=coordinator)
        mark_delivered(work=booking, by=coordinator, on=datetime.date(2026, 10, 6))
    school_b.causing_concern = True
    school_b.save()
    package = commission(
        school=school_b,
        offer=visit,
        units=2,
        budget="1000",
        by=coordinator,
        academic_year="2026/27",
    )
    mark_delivered(work=package, by=coordinator, on=datetime.date(2026, 10, 9))


def test_one_invoice_per_school_and_la_support_goes_to_the_ledger(
    partnership_record, deliveries, school_a
):
    [invoice] = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert invoice.school == school_a
    # non-member prices: 2 networks at £450 and an adviser visit at £600
    assert [(line.quantity, line.unit_price, line.net) for line in invoice.lines.all()] == [
        (D("2.00"), D("450.00"), D("900.00")),
        (D("1.00"), D("600.00"), D("600.00")),
    ]
    assert invoice.purchase_order == "PO-77"
    la = LedgerEntry.objects.get(entry_type="la_commissioned")
    assert (la.amount, la.side, la.entry_date) == (
        D("900.00"),
        "income",
        datetime.date(2026, 10, 9),
    )
    sales = LedgerEntry.objects.filter(entry_type="invoice_line")
    assert sum(e.amount for e in sales) == D("1500.00")
    assert {e.entry_date for e in sales} == {datetime.date(2026, 10, 6)}


def test_running_the_month_again_creates_nothing_twice(partnership_record, deliveries):
    run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    assert run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 2)) == []
    assert Invoice.objects.count() == 1
    assert LedgerEntry.objects.filter(entry_type="la_commissioned").count() == 1
