"""Writes for waiting lists: offering a freed place with a hold, accepting, declining,
letting a hold run out, offering a place out of turn and adding places.

A waiting list is the waiting bookings of one offer in one academic year (and, for a CPD
course, one session). Every write here locks the offer's row first, as `book` and `cancel`
do, and then the booking: so a school accepting, the hold running out, the coordinator
offering a place and another school booking are served one after the other, and the
places held never exceed the places there are.
"""

from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.models import Partnership
from partnership.money import money
from partnership.roles import Role
from schools.permissions import can_act_for

from . import rules_bookings
from . import rules_waiting as rules
from .models import Booking, CourseSession, Offer, WaitingListEvent
from .services_bookings import (
    _confirm_by_email,
    _number,
    _renumber_waiting_list,
    capacity_left_for,
)
from .tasks import send_place_offered_email, send_place_passed_on_email

Kind = WaitingListEvent.Kind
TOKEN_SALT = "offers.place-offer"
REASON_REQUIRED = "Enter why this school is offered a place before those ahead of it"


def when(moment: datetime) -> str:
    """ "4 December 2026 at 14:30", in the portal's time zone, as emails and pages say it."""
    moment = timezone.localtime(moment)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}"


def hold_hours() -> int:
    """The partnership's hold on a place offered from a waiting list, in hours."""
    partnership = Partnership.current()
    return partnership.waiting_list_hold_hours if partnership else rules.DEFAULT_HOLD_HOURS


def record(kind, *, offer, academic_year, session=None, booking=None, by=None, note="", at=None):
    return WaitingListEvent.objects.create(
        offer_id=offer.pk if isinstance(offer, Offer) else offer,
        session_id=session.pk if isinstance(session, CourseSession) else session,
        academic_year=academic_year,
        booking=booking,
        kind=kind,
        at=at or timezone.now(),
        by=by,
        note=note[:300],
    )


def joined(booking):
    """Record that a booking joined its waiting list (called by `book`)."""
    record(
        Kind.JOINED,
        offer=booking.offer_id,
        academic_year=booking.academic_year,
        session=booking.session_id,
        booking=booking,
        by=booking.booked_by,
        note=f"Number {booking.waiting_position}",
    )


def _waiting(offer, academic_year, session):
    return (
        Booking.objects.select_for_update()
        .filter(
            offer=offer,
            academic_year=academic_year,
            session=session,
            status=Booking.Status.WAITING,
        )
        .order_by("waiting_position", "created", "pk")
    )


def _offer_place(booking, *, now, kind, by=None, note=""):
    """Hold the place for the school and email it the offer once committed."""
    booking.status = Booking.Status.OFFERED
    booking.offered_at = now
    booking.offer_expires_at = rules.hold_ends(offered_at=now, hours=hold_hours())
    booking.waiting_position = None
    booking._change_reason = "Place offered from the waiting list"
    booking.save()
    held = f"Held until {when(booking.offer_expires_at)}"
    record(
        kind,
        offer=booking.offer_id,
        academic_year=booking.academic_year,
        session=booking.session_id,
        booking=booking,
        by=by,
        note=f"{note}. {held}" if note else held,
        at=now,
    )
    transaction.on_commit(lambda pk=booking.pk: send_place_offered_email.delay(pk))


def offer_freed_places(offer, academic_year, session=None, *, now=None) -> list[Booking]:
    """Offer freed places to the waiting list in order, each held for the partnership's hours.

    Called with the offer's row locked. A school is offered a place only when every place
    it booked fits, and nobody behind a school that does not fit is offered one
    (`rules_waiting.places_to_offer`). A place held for a school counts as taken, so the
    same place is never offered twice.
    """
    now = now or timezone.now()
    waiting = list(_waiting(offer, academic_year, session).select_related("offer"))
    count = rules.places_to_offer(
        waiting_units=[booking.units for booking in waiting],
        left=capacity_left_for(offer, academic_year, session),
    )
    for booking in waiting[:count]:
        _offer_place(booking, now=now, kind=Kind.OFFERED)
    if count:
        _renumber_waiting_list(offer, academic_year, session)
    return waiting[:count]


def _lock(booking):
    """Lock the offer, then the booking: the order every booking write takes its locks."""
    Offer.objects.select_for_update().get(pk=booking.offer_id)
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("offer", "school", "session")
        .get(pk=booking.pk)
    )


def _still_offered(booking, now):
    if booking.status != Booking.Status.OFFERED:
        raise ValidationError(
            f"The place on {booking.offer.name} is no longer offered to {booking.school.name}: "
            f"booking {booking.reference} is {booking.get_status_display().lower()}"
        )
    if rules.lapsed(expires_at=booking.offer_expires_at, now=now):
        raise ValidationError(
            f"The place was held until {when(booking.offer_expires_at)}; it has passed to the "
            "next school on the waiting list"
        )


def may_answer(user, booking) -> bool:
    """Only someone who acts for the school, signed in, accepts or declines its place:
    accepting commits the school to paying for it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.HEADTEACHER
        and can_act_for(user, booking.school)
    )


@transaction.atomic
def accept_place(*, booking, by, now=None) -> Booking:
    """The school accepts the place held for it: the booking is confirmed at its booked price.

    Refused once the hold has run out (even if the expiry task has not yet passed the place
    on) or when the place is no longer offered. Accepting twice confirms it once.
    """
    now = now or timezone.now()
    booking = _lock(booking)
    if not may_answer(by, booking):
        raise PermissionDenied
    _still_offered(booking, now)
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking._change_reason = "Place accepted"
    booking.save()
    record(
        Kind.ACCEPTED,
        offer=booking.offer_id,
        academic_year=booking.academic_year,
        session=booking.session_id,
        booking=booking,
        by=by,
        at=now,
    )
    _confirm_by_email(booking)
    return booking


def _give_up(booking, *, now, by, kind):
    """The school's booking ends without charge, and its place goes to the next in line."""
    booking.status = Booking.Status.CANCELLED
    booking.cancellation_charge = money(0)
    booking.cancelled_on = timezone.localdate(now)
    booking.cancelled_by = by
    booking._change_reason = Kind(kind).label
    booking.save()
    record(
        kind,
        offer=booking.offer_id,
        academic_year=booking.academic_year,
        session=booking.session_id,
        booking=booking,
        by=by,
        at=now,
    )


@transaction.atomic
def decline_place(*, booking, by, now=None) -> Booking:
    """The school declines the place held for it: the booking is cancelled free of charge
    and the place is offered to the next school on the list."""
    now = now or timezone.now()
    booking = _lock(booking)
    if not may_answer(by, booking):
        raise PermissionDenied
    if booking.status != Booking.Status.OFFERED:
        _still_offered(booking, now)
    _give_up(booking, now=now, by=by, kind=Kind.DECLINED)
    offer_freed_places(booking.offer, booking.academic_year, booking.session, now=now)
    return booking


def expire_lapsed_offers(*, now=None, **where) -> int:
    """Pass on every place whose hold has run out: the school's booking is cancelled free
    of charge, recorded as expired, and the place offered to the next school in line.

    `where` narrows the search (offer=, session=, school=) for a page that reads one list;
    the beat task passes nothing. One list at a time, each in its own transaction under
    its offer's lock; running it twice passes nothing on twice.
    """
    now = now or timezone.now()
    lapsed = Booking.objects.filter(
        status=Booking.Status.OFFERED, offer_expires_at__lte=now, **where
    )
    lists = set(lapsed.values_list("offer_id", "academic_year", "session_id").order_by())
    expired = 0
    for offer_id, academic_year, session_id in sorted(lists, key=lambda k: (k[0], k[1], k[2] or 0)):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().get(pk=offer_id)
            session = CourseSession.objects.get(pk=session_id) if session_id else None
            for booking in Booking.objects.select_for_update().filter(
                offer=offer,
                academic_year=academic_year,
                session=session,
                status=Booking.Status.OFFERED,
                offer_expires_at__lte=now,
            ):
                _give_up(booking, now=now, by=None, kind=Kind.EXPIRED)
                transaction.on_commit(lambda pk=booking.pk: send_place_passed_on_email.delay(pk))
                expired += 1
            offer_freed_places(offer, academic_year, session, now=now)
    return expired


@transaction.atomic
def offer_place_out_of_turn(*, booking, by, reason, now=None) -> Booking:
    """The coordinator offers a free place to a school of their choosing on the list, ahead
    of those before it, for a reason that is recorded (a school causing concern, say).

    Only a place that is free is offered: one held for another school is not taken back.
    """
    now = now or timezone.now()
    if by.role != Role.COORDINATOR:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED)
    booking = _lock(booking)
    if booking.status != Booking.Status.WAITING:
        raise ValidationError(
            f"{booking.school.name} is not on the waiting list: booking {booking.reference} is "
            f"{booking.get_status_display().lower()}"
        )
    left = capacity_left_for(booking.offer, booking.academic_year, booking.session)
    if not rules_bookings.fits(units=booking.units, left=left):
        raise ValidationError(
            f"{booking.school.name} booked {_number(booking.units)} and "
            f"{_number(left)} {'is' if left == 1 else 'are'} free: add places first"
        )
    _offer_place(booking, now=now, kind=Kind.OFFERED_OUT_OF_TURN, by=by, note=reason)
    _renumber_waiting_list(booking.offer, booking.academic_year, booking.session)
    return booking


@transaction.atomic
def add_places(*, offer, academic_year, by, places, session=None, now=None) -> list[Booking]:
    """The coordinator adds places to a full course session (or capacity to an offer for
    the year), and the new places are offered to the waiting list in order."""
    now = now or timezone.now()
    if by.role != Role.COORDINATOR:
        raise PermissionDenied
    if places is None or int(places) < 1:
        raise ValidationError("Enter a number of places to add, 1 or more")
    places = int(places)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if session is not None:
        session = CourseSession.objects.select_for_update().get(pk=session.pk)
        before = session.places
        session.places = before + places
        session._change_reason = "Places added for the waiting list"
        session.save()
    elif offer.capacity is None:
        raise ValidationError(f"{offer.name} has no limit on places in the year")
    else:
        before = offer.capacity
        offer.capacity = before + places
        offer._change_reason = "Capacity added for the waiting list"
        offer.save()
    record(
        Kind.PLACES_ADDED,
        offer=offer,
        academic_year=academic_year,
        session=session,
        by=by,
        note=f"From {before} to {before + places}",
        at=now,
    )
    return offer_freed_places(offer, academic_year, session, now=now)


def left_waiting_list(booking, by):
    """Record a waiting (or offered) booking cancelled by the school or the coordinator."""
    kind = Kind.DECLINED if booking.status == Booking.Status.OFFERED else Kind.LEFT
    record(
        kind,
        offer=booking.offer_id,
        academic_year=booking.academic_year,
        session=booking.session_id,
        booking=booking,
        by=by,
    )


# The link in the offer's email. It names the booking and the moment of the offer, signed
# with SECRET_KEY: it shows the offer to whoever holds it (no account needed to read what
# is offered) but never accepts or declines on its own (see docs/decisions.md), and it
# stops showing anything once that offer has been answered, expired or made again.
def place_offer_token(booking) -> str:
    return signing.dumps(
        {"b": booking.pk, "o": booking.offered_at.isoformat()}, salt=TOKEN_SALT, compress=True
    )


def booking_for_token(token: str) -> Booking | None:
    """The booking the link was sent about, or None for a link that was altered or made up."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    booking = (
        Booking.objects.select_related("offer", "school", "session")
        .filter(pk=data.get("b"))
        .first()
    )
    if booking is None or booking.offered_at is None:
        return None
    if booking.offered_at.isoformat() != data.get("o"):
        return None
    return booking
