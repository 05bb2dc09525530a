"""A school's record in one place: its memberships, bookings, practitioners and invoices,
each shown to the people whose work it is, and never another school's."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.services import record_payment
from tests.finance.conftest import *  # noqa: F403 (its fixtures: join, issue, ...)
from tests.finance.conftest import booking_charge, membership_charge

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def record(join, issue, school_a, school_b, head_a, head_b, finance_officer):
    """Alpha: a membership (£840), an invoice for it part paid, an invoice for a review;
    Beta: a membership and an invoice of its own."""
    join(school_a, head_a)
    join(school_b, head_b)
    membership = issue(school_a, lines=[membership_charge("membership:a", "840.00")])
    record_payment(
        invoice=membership, amount="340", received_on=datetime.date(2026, 10, 1), method="bacs"
    )
    issue(school_a, lines=[booking_charge("booking:a", "1", "1000")])
    issue(school_b, lines=[membership_charge("membership:b", "420.00")])
    return membership


def page_for(client_for, who, school):
    return client_for(who).get(reverse("schools:detail", args=[school.urn])).content.decode()


def test_the_finance_officer_sees_the_schools_membership_invoices_and_what_it_owes(
    record, client_for, finance_officer, school_a
):
    from finance.models import Invoice
    from finance.selectors import invoices_with_status
    from partnership.money import format_money

    page = page_for(client_for, finance_officer, school_a)
    assert "2026/27" in page and "Core membership" in page and "£840.00" in page
    assert record.number in page and "£500.00" in page  # £840 less £340 paid
    # What it owes: the balances of its invoices that are not internal recharges.
    external = (
        invoices_with_status()
        .filter(school=school_a)
        .exclude(billing=Invoice.Billing.INTERNAL_RECHARGE)
    )
    owed = sum((i.balance for i in external), D("0"))
    assert f'<strong id="school-owed">{format_money(owed)}</strong>' in page


def test_a_headteacher_sees_their_own_schools_record_and_nothing_of_another(
    record, client_for, head_a, school_a, school_b
):
    page = page_for(client_for, head_a, school_a)
    assert "Membership" in page and "Invoices" in page and "Bookings" in page
    assert record.number in page
    assert "INV-2026-27-00003" not in page  # Beta's invoice
    assert "Practitioners deployed" not in page
    assert client_for(head_a).get(reverse("schools:detail", args=[school_b.urn])).status_code == 403


def test_the_coordinator_sees_membership_and_bookings_but_not_invoices(
    record, client_for, coordinator, school_a
):
    page = page_for(client_for, coordinator, school_a)
    assert "Core membership" in page and "Bookings" in page
    assert record.number not in page and 'id="school-owed"' not in page


def test_a_cancelled_booking_shows_its_cancellation_charge_not_its_old_price(
    client_for, coordinator, school_a, head_a
):
    from offers import services_bookings as bookings
    from tests.offers.booking_factories import make_offer

    offer = make_offer(
        "peer-review",
        name="Peer review",
        member={"": "1000"},
        non_member={"": "1200"},
        policy=(14, D("50")),
    )
    booking = bookings.book(
        school=school_a,
        offer=offer,
        units=D("1"),
        by=head_a,
        academic_year="2026/27",
        preferred_start=datetime.date(2026, 12, 10),
    )
    bookings.cancel(booking=booking, by=head_a, today=datetime.date(2026, 12, 3))
    page = page_for(client_for, coordinator, school_a)
    assert "Cancelled" in page and "£600.00" in page  # 50% of the £1,200 non-member price
    assert "£1,200.00" not in page
