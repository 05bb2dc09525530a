"""Entitlements: a signed membership's included units are used first, then the member price;
approval re-prices what was booked while the membership waited, crediting what was invoiced."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from finance.models import CreditNote
from finance.services import run_monthly_bookings
from membership import selectors as membership_selectors
from membership import services as membership_services
from membership.models import Membership
from offers import services_bookings as services
from offers.models import Booking, Tier, TierInclusion

from .booking_factories import YEAR, make_offer

pytestmark = pytest.mark.django_db
D = Decimal
SIGNED_ON = date(2026, 6, 15)


@pytest.fixture
def peer_review(db):
    """Primary schools: members £1,000 a review, non-members £1,200."""
    return make_offer(
        "peer-review",
        name="Peer review",
        member={"primary": "1000"},
        non_member={"primary": "1200"},
    )


@pytest.fixture
def standard(peer_review):
    """Standard membership 2026/27: a flat £1,500, one peer review included."""
    year, _ = membership_services.load_membership_year(
        academic_year=YEAR, census_date=date(2026, 1, 15)
    )
    tier = Tier.objects.create(code="standard", name="Standard membership", order=1)
    TierInclusion.objects.create(tier=tier, offer=peer_review, units=D("1"))
    membership_services.load_fee_scheme(tier=tier, year=year, kind="flat", flat_amount=D("1500"))
    return tier


@pytest.fixture
def pending(standard, school_a, head_a):
    """Alpha Primary signed the Standard agreement; the coordinator has not yet decided."""
    return membership_services.sign_agreement(
        school=school_a,
        year=standard.fee_schemes.get().year,
        tier=standard,
        by=head_a,
        on=SIGNED_ON,
    )


def test_a_school_books_under_a_signed_membership_approved_or_awaiting_approval(
    pending, coordinator, school_a, school_b, standard
):
    in_the_year = date(2026, 11, 2)
    assert membership_selectors.booking_tier_for(school_a, in_the_year) == standard
    assert membership_selectors.booking_tier_for(school_b, in_the_year) is None
    assert membership_selectors.booking_tier_for(school_a, date(2027, 9, 1)) is None
    membership_services.approve(membership=pending, by=coordinator)
    assert membership_selectors.booking_tier_for(school_a, in_the_year) == standard


def test_an_april_partnership_books_may_under_the_year_that_holds_may(pending, standard, school_a):
    from membership.models import MembershipYear

    MembershipYear.objects.filter(academic_year=YEAR).update(start_month=4)
    # 2026/27 runs April 2026 to March 2027 there: May 2026 is in it, May 2027 is not.
    assert membership_selectors.booking_tier_for(school_a, date(2026, 5, 4)) == standard
    assert membership_selectors.booking_tier_for(school_a, date(2027, 5, 4)) is None


def test_a_declined_membership_books_at_the_non_member_price(
    pending, coordinator, school_a, head_a, peer_review
):
    membership_services.decline(membership=pending, by=coordinator, reason="Late")
    booking = services.book(
        school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR
    )
    assert (booking.is_member, booking.included_units, booking.unit_price) == (
        False,
        D("0"),
        D("1200.00"),
    )


def test_awaiting_approval_the_included_review_is_used_first_then_the_member_price(
    pending, school_a, head_a, peer_review
):
    first = services.book(
        school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR
    )
    second = services.book(
        school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR
    )
    assert (first.included_units, first.unit_price, first.tier_name) == (
        D("1"),
        D("1000.00"),
        "Standard membership",
    )
    assert (second.included_units, second.unit_price) == (D("0"), D("1000.00"))


def test_the_check_page_says_how_much_of_the_inclusion_this_booking_uses(
    client_for, pending, head_a, peer_review
):
    client = client_for(head_a)
    form = {"offer": peer_review.pk, "units": "1", "preferred_dates": "", "notes": ""}
    page = client.post(reverse("offers:booking_create"), form).content.decode()
    assert "Included in your membership" in page
    assert "1 of 1 used" in page
    assert "<strong>£0.00</strong>" in page
    assert "already used" not in page


def test_a_second_booking_of_a_used_inclusion_says_so_before_it_is_confirmed(
    client_for, pending, school_a, head_a, peer_review
):
    services.book(school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR)
    form = {"offer": peer_review.pk, "units": "1", "preferred_dates": "", "notes": ""}
    page = client_for(head_a).post(reverse("offers:booking_create"), form).content.decode()
    assert "1 of 1 used" in page
    assert (
        "Your membership (Standard membership) includes 1 review of Peer review in 2026/27, "
        "already used by your earlier booking. This booking is charged at the member price."
    ) in page
    assert "<strong>£1,000.00</strong>" in page


def test_the_booking_list_pages_of_a_non_member_mention_no_inclusion(
    client_for, standard, head_a, peer_review
):
    form = {"offer": peer_review.pk, "units": "1", "preferred_dates": "", "notes": ""}
    page = client_for(head_a).post(reverse("offers:booking_create"), form).content.decode()
    assert "Included in your membership" not in page
    assert "<strong>£1,200.00</strong>" in page


@pytest.fixture
def invoiced_at_non_member_price(pending, partnership_record, school_a, head_a, peer_review):
    """A review booked while the membership awaited approval and priced as a non-member's
    (as the portal priced such bookings before this rule), delivered and invoiced."""
    booking = Booking.objects.create(
        school=school_a,
        offer=peer_review,
        academic_year=YEAR,
        units=D("1"),
        included_units=D("0"),
        unit_price=D("1200.00"),
        is_member=False,
        status=Booking.Status.DELIVERED,
        delivered_on=date(2026, 10, 14),
        purchase_order="PO-77",
        booked_by=head_a,
    )
    [invoice] = run_monthly_bookings(month=date(2026, 10, 1), issue_date=date(2026, 11, 2))
    assert invoice.gross_total == D("1200.00")
    return booking


def test_approval_reprices_a_booking_made_while_waiting_and_credits_the_invoice(
    invoiced_at_non_member_price, pending, coordinator, school_a, django_capture_on_commit_callbacks
):
    booking = invoiced_at_non_member_price
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_services.approve(membership=pending, by=coordinator)
    booking.refresh_from_db()
    assert (booking.is_member, booking.included_units, booking.unit_price) == (
        True,
        D("1"),
        D("1000.00"),
    )
    note = CreditNote.objects.get()
    assert note.gross_total == D("1200.00")
    assert note.invoice.lines.get().source == f"booking:{booking.pk}"
    assert note.reason == "Bookings re-priced: Standard membership 2026/27 approved"
    assert note.issue_date == timezone.localdate()
    told = [m for m in mail.outbox if "re-priced" in m.subject]
    assert len(told) == 1
    assert told[0].to == ["head.a@alpha.sch.uk"]
    assert f"{booking.reference} Peer review: was £1,200.00, now £0.00" in told[0].body
    assert f"Credit note {note.number} against invoice {note.invoice.number}: £1,200.00" in (
        told[0].body
    )
    assert (
        booking.history.first().history_change_reason
        == "Re-priced for the approved Standard membership"
    )


def test_a_review_made_while_waiting_is_credited_to_the_member_price_when_the_inclusion_is_used(
    invoiced_at_non_member_price, pending, coordinator, school_a, head_a, peer_review
):
    """A later booking already holds the included review; the earlier one keeps no
    inclusion it never had, and is credited down to the member price (£1,200 - £1,000)."""
    later = services.book(
        school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR
    )
    assert later.included_units == D("1")
    membership_services.approve(membership=pending, by=coordinator)
    earlier = invoiced_at_non_member_price
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert (earlier.included_units, earlier.unit_price) == (D("0"), D("1000.00"))
    assert (later.included_units, later.unit_price) == (D("1"), D("1000.00"))
    assert CreditNote.objects.get().gross_total == D("200.00")


def test_approval_leaves_bookings_made_before_signing_and_cancelled_ones_alone(
    standard, school_a, head_a, coordinator, peer_review, django_capture_on_commit_callbacks
):
    before = services.book(
        school=school_a, offer=peer_review, units=1, by=head_a, academic_year=YEAR
    )
    membership = membership_services.sign_agreement(
        school=school_a,
        year=standard.fee_schemes.get().year,
        tier=standard,
        by=head_a,
        on=SIGNED_ON,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_services.approve(membership=membership, by=coordinator)
    before.refresh_from_db()
    assert (before.is_member, before.unit_price) == (False, D("1200.00"))
    assert CreditNote.objects.count() == 0
    assert not [m for m in mail.outbox if "re-priced" in m.subject]
    assert Membership.objects.get().status == Membership.Status.ACTIVE
