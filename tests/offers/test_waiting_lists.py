"""Waiting lists: a freed place is offered with a hold; the school accepts or declines; a hold
that runs out passes the place on; the coordinator offers out of turn and adds places."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from offers import rules_waiting
from offers import services_bookings as bookings
from offers import services_waiting as services
from offers.models import Booking, WaitingListEvent
from offers.tasks import expire_place_offers
from partnership.models import Partnership
from tests.factories import SchoolFactory, school_user

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal
Kind = WaitingListEvent.Kind


def book(school, offer, units="1", **kwargs):
    return bookings.book(
        school=school,
        offer=offer,
        units=D(units),
        by=school.contacts.first().user,
        academic_year=YEAR,
        **kwargs,
    )


def schools(count, prefix="School"):
    made = []
    for n in range(count):
        school = SchoolFactory(name=f"{prefix} {n}")
        school_user(school, email=f"head{n}@{prefix.lower()}.example")
        made.append(school)
    return made


def fresh(booking):
    return Booking.objects.get(pk=booking.pk)


def kinds(booking):
    return list(booking.waiting_events.order_by("at", "pk").values_list("kind", flat=True))


@pytest.fixture
def full(peer_review, members):
    """Peer review (2 a year) booked by two schools; two more wait, in order."""
    a, b, c, d = schools(4)
    return [book(school, peer_review) for school in (a, b, c, d)]


# The rules, without the database.


def test_a_place_is_held_for_the_set_number_of_hours():
    now = timezone.now()
    assert rules_waiting.hold_ends(offered_at=now, hours=48) == now + timedelta(hours=48)


def test_a_hold_has_run_out_at_the_moment_it_ends():
    now = timezone.now()
    assert not rules_waiting.lapsed(expires_at=now + timedelta(seconds=1), now=now)
    assert rules_waiting.lapsed(expires_at=now, now=now)


def test_places_are_offered_in_order_and_nobody_jumps_a_school_that_does_not_fit():
    assert rules_waiting.places_to_offer(waiting_units=[D(1), D(1), D(1)], left=D(2)) == 2
    assert rules_waiting.places_to_offer(waiting_units=[D(2), D(1)], left=D(1)) == 0
    assert rules_waiting.places_to_offer(waiting_units=[D(1), D(3), D(1)], left=D(3)) == 1
    assert rules_waiting.places_to_offer(waiting_units=[D(5)], left=None) == 1


# Offering a freed place.


def test_a_freed_place_is_offered_to_the_next_school_with_a_hold_not_confirmed(
    full, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://portal.example"
    first, _, next_in_line, behind = full
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking=first, by=first.booked_by)
    offered = fresh(next_in_line)
    assert offered.status == Booking.Status.OFFERED
    assert offered.offer_expires_at == offered.offered_at + timedelta(hours=48)
    assert offered.waiting_position is None
    assert fresh(behind).waiting_position == 1
    assert kinds(offered) == [Kind.JOINED, Kind.OFFERED]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "A place is offered to you: Peer review"
    assert mail.outbox[0].to == ["head2@school.example"]
    body = mail.outbox[0].body
    assert f"held for you until {services.when(offered.offer_expires_at)}" in body
    assert "https://portal.example/offer/places/" in body


def test_the_place_held_counts_as_taken_so_a_new_booking_waits(full, peer_review):
    first = full[0]
    bookings.cancel(booking=first, by=first.booked_by)
    (late,) = schools(1, prefix="Late")
    assert book(late, peer_review).status == Booking.Status.WAITING


def test_the_hold_is_the_partnerships_setting(full, partnership_record):
    Partnership.objects.update(waiting_list_hold_hours=6)
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    assert offered.offer_expires_at - offered.offered_at == timedelta(hours=6)


def test_a_school_waiting_for_more_places_than_are_free_keeps_its_turn(peer_review, members):
    a, b, c, d = schools(4)
    first = book(a, peer_review)
    book(b, peer_review)
    big = book(c, peer_review, "2")
    small = book(d, peer_review)
    bookings.cancel(booking=first, by=first.booked_by)
    assert (fresh(big).status, fresh(big).waiting_position) == (Booking.Status.WAITING, 1)
    assert (fresh(small).status, fresh(small).waiting_position) == (Booking.Status.WAITING, 2)


def test_a_school_waiting_for_two_places_is_offered_both_when_both_are_free(peer_review, members):
    a, b, c = schools(3)
    first, second = book(a, peer_review), book(b, peer_review)
    big = book(c, peer_review, "2")
    bookings.cancel(booking=first, by=first.booked_by)
    assert fresh(big).status == Booking.Status.WAITING
    bookings.cancel(booking=second, by=second.booked_by)
    assert fresh(big).status == Booking.Status.OFFERED


# Accepting and declining.


def test_accepting_confirms_the_booking_at_its_booked_price_and_emails_the_confirmation(
    full, django_capture_on_commit_callbacks
):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    head = offered.school.contacts.first().user
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.accept_place(booking=offered, by=head)
    assert accepted.status == Booking.Status.CONFIRMED
    assert accepted.confirmed_at is not None
    assert accepted.unit_price == D("1200.00")
    assert accepted.charge_now == D("1200.00")
    assert kinds(accepted) == [Kind.JOINED, Kind.OFFERED, Kind.ACCEPTED]
    assert [m.subject for m in mail.outbox] == [
        f"Booking {accepted.reference} confirmed: Peer review"
    ]


def test_accepting_twice_confirms_once(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    head = offered.school.contacts.first().user
    services.accept_place(booking=offered, by=head)
    with pytest.raises(ValidationError, match="is no longer offered to School 2"):
        services.accept_place(booking=offered, by=head)
    assert kinds(offered).count(Kind.ACCEPTED) == 1


def test_only_someone_who_acts_for_the_school_may_accept_or_decline(full, coordinator):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    other_head = full[3].school.contacts.first().user
    for person in (other_head, coordinator):
        with pytest.raises(PermissionDenied):
            services.accept_place(booking=offered, by=person)
        with pytest.raises(PermissionDenied):
            services.decline_place(booking=offered, by=person)
    assert fresh(offered).status == Booking.Status.OFFERED


def test_declining_cancels_free_and_offers_the_place_to_the_next(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered, behind = fresh(full[2]), full[3]
    declined = services.decline_place(booking=offered, by=offered.school.contacts.first().user)
    assert declined.status == Booking.Status.CANCELLED
    assert declined.cancellation_charge == D("0.00")
    assert fresh(behind).status == Booking.Status.OFFERED
    assert kinds(declined)[-1] == Kind.DECLINED


def test_cancelling_a_place_offered_is_free_and_recorded_as_declined(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    cancelled = bookings.cancel(booking=offered, by=offered.school.contacts.first().user)
    assert cancelled.cancellation_charge == D("0.00")
    assert kinds(cancelled)[-1] == Kind.DECLINED
    assert fresh(full[3]).status == Booking.Status.OFFERED


def test_leaving_the_waiting_list_is_recorded(full):
    waiting = full[3]
    bookings.cancel(booking=waiting, by=waiting.booked_by)
    assert kinds(waiting) == [Kind.JOINED, Kind.LEFT]


# A hold that runs out.


def test_an_expired_hold_cannot_be_accepted_even_before_the_task_runs(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    with pytest.raises(ValidationError, match="it has passed to the next school"):
        services.accept_place(
            booking=offered,
            by=offered.school.contacts.first().user,
            now=offered.offer_expires_at,
        )
    assert fresh(offered).status == Booking.Status.OFFERED


def test_the_beat_task_passes_a_lapsed_place_to_the_next_school_once(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered, behind = fresh(full[2]), full[3]
    Booking.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert expire_place_offers.delay().get() == 1
    expired = fresh(offered)
    assert expired.status == Booking.Status.CANCELLED
    assert expired.cancellation_charge == D("0.00")
    assert expired.cancelled_by is None
    assert fresh(behind).status == Booking.Status.OFFERED
    assert expire_place_offers.delay().get() == 0
    assert kinds(expired) == [Kind.JOINED, Kind.OFFERED, Kind.EXPIRED]


def test_the_school_whose_hold_ran_out_is_told_once(full, django_capture_on_commit_callbacks):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.expire_lapsed_offers(now=offered.offer_expires_at)
    passed_on = [m for m in mail.outbox if m.subject.startswith("The place offered has passed")]
    assert [m.to for m in passed_on] == [["head2@school.example"]]
    assert f"was held until {services.when(offered.offer_expires_at)}" in passed_on[0].body
    from offers.tasks import send_place_passed_on_email

    assert send_place_passed_on_email.delay(offered.pk).get() is False


def test_a_hold_still_running_is_left_alone(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    assert services.expire_lapsed_offers() == 0
    assert fresh(full[2]).status == Booking.Status.OFFERED


# The coordinator's choices.


def test_the_coordinator_offers_a_free_place_out_of_turn_with_a_reason(
    peer_review, members, coordinator
):
    a, b, c, d = schools(4)
    first = book(a, peer_review)
    book(b, peer_review)
    big = book(c, peer_review, "2")
    chosen = book(d, peer_review)
    bookings.cancel(booking=first, by=first.booked_by)
    offered = services.offer_place_out_of_turn(
        booking=chosen, by=coordinator, reason="School causing concern"
    )
    assert offered.status == Booking.Status.OFFERED
    assert fresh(big).waiting_position == 1
    event = offered.waiting_events.get(kind=Kind.OFFERED_OUT_OF_TURN)
    assert event.by == coordinator
    assert event.note.startswith("School causing concern. Held until ")


def test_an_offer_out_of_turn_needs_a_reason_a_free_place_and_the_coordinator(full, coordinator):
    waiting = full[3]
    with pytest.raises(ValidationError, match="Enter why this school is offered a place"):
        services.offer_place_out_of_turn(booking=waiting, by=coordinator, reason=" ")
    with pytest.raises(ValidationError, match="School 3 booked 1 and 0 are free: add places"):
        services.offer_place_out_of_turn(booking=waiting, by=coordinator, reason="Concern")
    with pytest.raises(PermissionDenied):
        services.offer_place_out_of_turn(booking=waiting, by=waiting.booked_by, reason="Please")
    assert fresh(waiting).status == Booking.Status.WAITING


def test_adding_places_offers_them_to_the_next_in_line(full, peer_review, coordinator):
    offered = services.add_places(offer=peer_review, academic_year=YEAR, by=coordinator, places=1)
    assert [b.pk for b in offered] == [full[2].pk]
    peer_review.refresh_from_db()
    assert peer_review.capacity == 3
    assert fresh(full[3]).status == Booking.Status.WAITING
    event = WaitingListEvent.objects.get(kind=Kind.PLACES_ADDED)
    assert (event.note, event.by, event.booking) == ("From 2 to 3", coordinator, None)


def test_adding_places_to_a_full_course_session(cpd_session, members, coordinator):
    a, b, c = schools(3)
    for school in (a, b, c):
        bookings.book_places(
            school=school, session=cpd_session, delegates=["Ann"], by=school.contacts.first().user
        )
    waiting = Booking.objects.get(school=c)
    assert waiting.status == Booking.Status.WAITING
    services.add_places(
        offer=cpd_session.offer,
        academic_year=waiting.academic_year,
        session=cpd_session,
        by=coordinator,
        places=1,
    )
    cpd_session.refresh_from_db()
    assert cpd_session.places == 3
    assert fresh(waiting).status == Booking.Status.OFFERED


def test_places_cannot_be_added_to_an_offer_without_a_limit(lle_days, coordinator):
    with pytest.raises(ValidationError, match="has no limit on places"):
        services.add_places(offer=lle_days, academic_year=YEAR, by=coordinator, places=1)


# The link in the email.


def test_the_emailed_link_names_this_offer_only(full):
    bookings.cancel(booking=full[0], by=full[0].booked_by)
    offered = fresh(full[2])
    token = services.place_offer_token(offered)
    assert services.booking_for_token(token) == offered
    assert services.booking_for_token(token[:-2] + "xx") is None
    # Offered again later (after a decline and a new place, say): the old link finds nothing.
    Booking.objects.filter(pk=offered.pk).update(offered_at=timezone.now() + timedelta(days=1))
    assert services.booking_for_token(token) is None
