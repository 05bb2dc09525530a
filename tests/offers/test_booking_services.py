"""Booking, waiting list, cancellation and confirmation: services without HTTP."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from offers import services_bookings as services
from offers.models import Booking
from tests.factories import SchoolFactory, school_user

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal


def book(school, offer, units, by, **kwargs):
    return services.book(
        school=school, offer=offer, units=D(units), by=by, academic_year=YEAR, **kwargs
    )


def test_a_member_pays_the_member_price_for_its_category(
    school_a, head_a, peer_review, members, standard_tier
):
    members[school_a.pk] = standard_tier
    booking = book(school_a, peer_review, "2", head_a)
    assert booking.is_member
    assert booking.tier_name == "Standard membership"
    assert booking.unit_price == D("1000.00")


def test_a_non_member_pays_the_non_member_price(school_a, head_a, peer_review, members):
    booking = book(school_a, peer_review, "1", head_a, purchase_order="PO-77")
    assert not booking.is_member
    assert booking.unit_price == D("1200.00")
    assert booking.included_units == D("0")
    assert booking.purchase_order == "PO-77"


def test_a_secondary_school_pays_the_secondary_price(head_a, peer_review, members, standard_tier):
    secondary = SchoolFactory(name="Gamma High", phase="Secondary", category="secondary")
    members[secondary.pk] = standard_tier
    booking = book(secondary, peer_review, "1", head_a)
    assert booking.unit_price == D("1600.00")


def test_members_only_offer_is_refused_to_a_non_member_and_nothing_is_saved(
    school_a, head_a, lle_days, members
):
    with pytest.raises(ValidationError) as refused:
        book(school_a, lle_days, "1", head_a)
    assert refused.value.messages == ["Extra LLE support cannot be booked: Not sold to non-members"]
    assert Booking.objects.count() == 0


def test_included_units_are_used_first_then_charged(
    school_a, head_a, lle_days, members, standard_tier
):
    members[school_a.pk] = standard_tier
    quote = services.quote_booking(
        school=school_a, offer=lle_days, units=D("3"), academic_year=YEAR
    )
    assert (quote.included_units, quote.charged_units, quote.charge) == (
        D("2"),
        D("1"),
        D("500.00"),
    )
    first = book(school_a, lle_days, "3", head_a)
    assert first.included_units == D("2")
    second = book(school_a, lle_days, "1.5", head_a)
    assert second.included_units == D("0")
    assert services.quote_booking(
        school=school_a, offer=lle_days, units=D("1.5"), academic_year=YEAR
    ).charge == D("750.00")


def test_cancelling_a_booking_gives_its_included_units_back(
    school_a, head_a, lle_days, members, standard_tier
):
    members[school_a.pk] = standard_tier
    first = book(school_a, lle_days, "2", head_a)
    services.cancel(booking=first, by=head_a, today=date(2026, 11, 23))
    assert book(school_a, lle_days, "1", head_a).included_units == D("1")


def test_an_offer_with_capacity_is_confirmed_at_once_and_unlimited_support_is_requested(
    school_a, head_a, peer_review, lle_days, members, standard_tier
):
    members[school_a.pk] = standard_tier
    assert book(school_a, peer_review, "1", head_a).status == Booking.Status.CONFIRMED
    assert book(school_a, lle_days, "1", head_a).status == Booking.Status.REQUESTED


def test_coordinator_confirms_a_requested_booking_once(
    school_a, head_a, coordinator, lle_days, members, standard_tier
):
    members[school_a.pk] = standard_tier
    booking = services.confirm(booking=book(school_a, lle_days, "1", head_a), by=coordinator)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.confirmed_by == coordinator
    with pytest.raises(ValidationError, match="this one is confirmed"):
        services.confirm(booking=booking, by=coordinator)


def test_when_full_a_school_joins_the_waiting_list_in_order(peer_review, members):
    schools = [SchoolFactory(name=f"School {n}") for n in range(4)]
    heads = [school_user(school) for school in schools]
    made = [
        book(school, peer_review, "1", head) for school, head in zip(schools, heads, strict=True)
    ]
    assert [b.status for b in made] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [b.waiting_position for b in made] == [None, None, 1, 2]


def test_cancelling_offers_the_place_to_the_first_waiting_and_emails_them(
    peer_review, members, django_capture_on_commit_callbacks
):
    schools = [SchoolFactory(name=f"School {n}") for n in range(4)]
    heads = [
        school_user(school, email=f"head{n}@school.example") for n, school in enumerate(schools)
    ]
    made = [
        book(school, peer_review, "1", head) for school, head in zip(schools, heads, strict=True)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking=made[0], by=heads[0], today=date(2026, 11, 23))
    made = [Booking.objects.get(pk=b.pk) for b in made]
    # The place is held for the first school waiting until it answers (tests/offers/
    # test_waiting_lists.py), not confirmed for it unasked.
    assert [b.status for b in made] == ["cancelled", "confirmed", "offered", "waiting"]
    assert made[2].offered_at is not None
    assert made[3].waiting_position == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head2@school.example"]
    assert mail.outbox[0].subject == "A place is offered to you: Peer review"
    assert f"(booking {made[2].reference})" in mail.outbox[0].body


def test_a_waiting_booking_too_big_for_the_freed_place_keeps_the_queue(peer_review, members):
    a, b, c = (SchoolFactory() for _ in range(3))
    first = book(a, peer_review, "1", school_user(a))
    book(b, peer_review, "1", school_user(b))
    big = book(c, peer_review, "2", school_user(c))
    services.cancel(booking=first, by=first.booked_by, today=date(2026, 11, 23))
    big.refresh_from_db()
    assert big.status == Booking.Status.WAITING
    assert big.waiting_position == 1


def test_cancelling_exactly_n_days_before_the_first_date_is_free(
    school_a, head_a, peer_review, members
):
    booking = book(school_a, peer_review, "2", head_a, preferred_start=date(2027, 1, 27))
    cancelled = services.cancel(booking=booking, by=head_a, today=date(2027, 1, 13))
    assert cancelled.cancellation_charge == D("0.00")
    assert cancelled.cancelled_on == date(2027, 1, 13)


def test_cancelling_inside_n_days_freezes_the_percentage_charge(
    school_a, head_a, peer_review, members
):
    booking = book(school_a, peer_review, "2", head_a, preferred_start=date(2027, 1, 27))
    assert services.cancellation_charge_for(booking, date(2027, 1, 14)) == D("1200.00")
    cancelled = services.cancel(booking=booking, by=head_a, today=date(2027, 1, 14))
    assert cancelled.cancellation_charge == D("1200.00")  # 50% of 2 × £1,200
    peer_review.cancellation_policy.charge_percent = D("100")
    peer_review.cancellation_policy.save()
    cancelled.refresh_from_db()
    assert cancelled.cancellation_charge == D("1200.00")


def test_a_waiting_booking_cancels_free(peer_review, members):
    a, b, c = (SchoolFactory() for _ in range(3))
    for school in (a, b):
        book(school, peer_review, "1", school_user(school), preferred_start=date(2027, 1, 27))
    waiting = book(c, peer_review, "1", school_user(c), preferred_start=date(2027, 1, 27))
    cancelled = services.cancel(booking=waiting, by=waiting.booked_by, today=date(2027, 1, 26))
    assert cancelled.cancellation_charge == D("0.00")


def test_a_cancelled_booking_cannot_be_cancelled_again(school_a, head_a, peer_review, members):
    booking = services.cancel(
        booking=book(school_a, peer_review, "1", head_a), by=head_a, today=date(2026, 12, 1)
    )
    with pytest.raises(ValidationError, match="is cancelled and cannot be cancelled"):
        services.cancel(booking=booking, by=head_a, today=date(2026, 12, 1))


def test_cpd_places_are_booked_per_delegate_and_a_full_session_waits(
    school_a, head_a, school_b, head_b, cpd_session, members
):
    booking = services.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith", " Raj Patel "], by=head_a
    )
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.units == D("2")
    assert booking.unit_price == D("120.00")
    assert list(booking.delegates.values_list("delegate_name", flat=True)) == [
        "Ann Smith",
        "Raj Patel",
    ]
    assert booking.preferred_start == date(2027, 2, 3)
    later = services.book_places(
        school=school_b, session=cpd_session, delegates=["Bo Chen"], by=head_b
    )
    assert later.status == Booking.Status.WAITING
    assert later.waiting_position == 1


def test_units_must_be_whole_for_reviews_and_whole_or_half_for_days(
    school_a, head_a, peer_review, members
):
    with pytest.raises(ValidationError) as refused:
        book(school_a, peer_review, "1.5", head_a)
    assert refused.value.messages == ["Book a whole number of reviews"]


def test_offer_for_other_phases_is_refused(school_a, head_a, members):
    from .booking_factories import make_offer

    network = make_offer(
        "sle-network",
        name="SLE network",
        unit="network",
        member={"": "350"},
        non_member={"": "450"},
        phases=["secondary"],
    )
    with pytest.raises(ValidationError) as refused:
        book(school_a, network, "1", head_a)
    assert refused.value.messages == ["SLE network is not offered to Primary schools"]


def test_the_place_offered_email_is_sent_once_even_if_the_task_runs_twice(
    peer_review, members, django_capture_on_commit_callbacks
):
    from offers.tasks import send_place_offered_email

    schools = [SchoolFactory(name=f"School {n}") for n in range(3)]
    made = [book(school, peer_review, "1", school_user(school)) for school in schools]
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking=made[0], by=made[0].booked_by, today=date(2026, 11, 23))
    assert len(mail.outbox) == 1
    assert send_place_offered_email.delay(made[2].pk).get() is False
    assert len(mail.outbox) == 1
