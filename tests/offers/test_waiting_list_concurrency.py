"""Places offered from a waiting list, at the same moment, on PostgreSQL: the offer row's
lock (select_for_update) serves accepts, expiry, offers out of turn and new bookings one
after the other, and the places held never exceed the places there are."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from offers import services_bookings as bookings
from offers import services_waiting as services
from offers.models import Booking, CourseSession, WaitingListEvent
from tests.conftest import requires_postgresql
from tests.factories import SchoolFactory, UserFactory, school_user

from .booking_factories import YEAR, make_offer
from .test_concurrency import run_together

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]
D = Decimal


def held(offer):
    return Booking.objects.filter(offer=offer, status__in=Booking.HOLDING).aggregate(
        total=Sum("units")
    )["total"] or D(0)


def book(name, offer, units="1"):
    school = SchoolFactory(name=name)
    head = school_user(school)
    booking = bookings.book(school=school, offer=offer, units=D(units), by=head, academic_year=YEAR)
    return booking, head


def review_offer(capacity):
    return make_offer(
        "peer-review",
        name="Peer review",
        capacity=capacity,
        member={"": "1000"},
        non_member={"": "1200"},
    )


def test_the_same_place_accepted_twice_at_once_is_confirmed_once():
    offer = review_offer(1)
    first, _ = book("Booked School", offer)
    waiting, head = book("Waiting School", offer)
    bookings.cancel(booking=first, by=first.booked_by)
    results = run_together(
        *[lambda: services.accept_place(booking=waiting, by=head) for _ in range(3)]
    )
    assert sorted(type(r).__name__ for r in results) == [
        "Booking",
        "ValidationError",
        "ValidationError",
    ], results
    assert Booking.objects.get(pk=waiting.pk).status == Booking.Status.CONFIRMED
    assert WaitingListEvent.objects.filter(kind="accepted").count() == 1
    assert held(offer) == 1


def test_an_accept_racing_the_expiry_of_its_hold_ends_with_one_school_holding_the_place():
    """The school presses Accept just before its hold ends while the beat task, a moment
    later by its clock, passes the place on: whichever takes the lock first wins, and the
    other sees the booking already moved on. Never both."""
    offer = review_offer(1)
    first, _ = book("Booked School", offer)
    offered, head = book("First Waiting", offer)
    behind, _ = book("Second Waiting", offer)
    bookings.cancel(booking=first, by=first.booked_by)
    ends = Booking.objects.get(pk=offered.pk).offer_expires_at
    results = run_together(
        lambda: services.accept_place(booking=offered, by=head, now=ends - timedelta(seconds=1)),
        lambda: services.expire_lapsed_offers(now=ends + timedelta(seconds=1)),
    )
    offered.refresh_from_db()
    behind.refresh_from_db()
    if isinstance(results[0], Booking):
        assert results[1] == 0
        assert (offered.status, behind.status) == ("confirmed", "waiting")
    else:
        assert isinstance(results[0], ValidationError), results
        assert results[1] == 1
        assert (offered.status, behind.status) == ("cancelled", "offered")
    assert held(offer) == 1


def test_accepts_offers_out_of_turn_added_places_and_new_bookings_at_once_never_overbook():
    """A CPD session of 3 places, full, with schools waiting; one place is held for a school
    and one is free (the next school waits for two). At the same moment: the school holding
    the place accepts twice, the coordinator offers the free place to two different schools
    out of turn, two new schools book, and the beat task runs."""
    course = make_offer(
        "phonics-cpd", name="Phonics CPD", unit="place", member={"": "90"}, non_member={"": "120"}
    )
    session = CourseSession.objects.create(
        offer=course,
        date=timezone.localdate() + timedelta(days=30),
        start_time=timezone.now().time().replace(microsecond=0),
        venue="Civic Centre",
        places=3,
    )
    coordinator = UserFactory(role="coordinator")

    def place(name, units=1):
        school = SchoolFactory(name=name)
        head = school_user(school)
        booking = bookings.book_places(
            school=school, session=session, delegates=[], unnamed=units, by=head
        )
        return booking, head

    booked = [place(f"Booked {n}")[0] for n in range(3)]
    offered, offered_head = place("Offered School")
    big, _ = place("Big School", units=2)
    chosen = [place(f"Chosen {n}")[0] for n in range(2)]
    bookings.cancel(booking=booked[0], by=booked[0].booked_by)
    bookings.cancel(booking=booked[1], by=booked[1].booked_by)
    offered.refresh_from_db()
    big.refresh_from_db()
    assert (offered.status, big.status) == ("offered", "waiting")
    newcomers = [SchoolFactory(name=f"Newcomer {n}") for n in range(2)]
    newcomer_heads = [school_user(school) for school in newcomers]

    results = run_together(
        lambda: services.accept_place(booking=offered, by=offered_head),
        lambda: services.accept_place(booking=offered, by=offered_head),
        *[
            (
                lambda b=b: services.offer_place_out_of_turn(
                    booking=b, by=coordinator, reason="Causing concern"
                )
            )
            for b in chosen
        ],
        *[
            (
                lambda s=s, h=h: bookings.book_places(
                    school=s, session=session, delegates=["Ann Ash"], by=h
                )
            )
            for s, h in zip(newcomers, newcomer_heads, strict=True)
        ],
        lambda: services.expire_lapsed_offers(),
    )
    errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert errors == []
    taken = Booking.objects.filter(session=session, status__in=Booking.HOLDING).aggregate(
        total=Sum("units")
    )["total"]
    assert taken <= session.places == 3
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CONFIRMED
    # The one free place went to exactly one school: a chosen one, or a newcomer booking it.
    statuses = [Booking.objects.get(pk=b.pk).status for b in chosen]
    newcomer_statuses = list(
        Booking.objects.filter(school__in=newcomers).values_list("status", flat=True)
    )
    winners = statuses.count("offered") + newcomer_statuses.count("confirmed")
    assert winners == 1, (statuses, newcomer_statuses)
    assert taken == 3
