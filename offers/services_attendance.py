"""Writes for CPD sessions: naming and substituting delegates, the register, evaluations.

A school names its delegates when it books or later, and may substitute one for another
until the session starts. After the session the coordinator, or the practitioner who
facilitated it, takes the register; a booking whose places are all marked is delivered
and what its missed places cost is frozen then, so the monthly run charges it once
(`offers.selectors.chargeable_deliveries`). A delegate who attended evaluates the
session, or their school does for them; the certificate follows.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.roles import Role

from . import rules_bookings as rules
from .models import (
    Booking,
    CourseSession,
    DelegatePlace,
    Evaluation,
    EvaluationQuestion,
    EvaluationRating,
    OfferCancellationPolicy,
)

# Used until the partnership file sets `evaluation.questions` (docs/partnership-file-extensions.md).
DEFAULT_QUESTIONS = (
    "How well did the session meet its aims?",
    "How useful was it for your work in school?",
    "How well was it led?",
    "How likely are you to change your practice as a result?",
)

Attendance = DelegatePlace.Attendance


@dataclass(frozen=True)
class Delegate:
    name: str
    email: str = ""


def evaluation_questions() -> list[str]:
    """The questions every evaluation asks: the partnership's own, or the defaults."""
    asked = list(EvaluationQuestion.objects.values_list("text", flat=True))
    return asked or list(DEFAULT_QUESTIONS)


def duplicate_delegate_problems(delegates) -> list[str]:
    """The same person twice in one booking: the same email address, or the same name."""
    problems = []
    seen_names, seen_emails = {}, {}
    for delegate in delegates:
        written = " ".join(delegate.name.split())
        name = written.casefold()
        email = delegate.email.strip().casefold()
        if name and name in seen_names:
            problems.append(f"{seen_names[name]} is named twice: each place needs its own")
        if email and email in seen_emails:
            problems.append(
                f"{seen_emails[email]} is given for two delegates: each needs their own"
            )
        seen_names.setdefault(name, written)
        if email:
            seen_emails.setdefault(email, delegate.email.strip())
    return problems


def _check_names_may_change(session, now):
    if now >= session.starts_at():
        raise ValidationError(
            f"The session started at {session.start_time:%H:%M} on "
            f"{session.date:%-d %B %Y}: delegates can no longer be named or changed"
        )


@transaction.atomic
def name_delegates(*, booking, delegates, by, now=None) -> list[DelegatePlace]:
    """Name (or substitute) the delegates on a booking's places, up to the session's start.

    `delegates` gives one entry per place, in the order of the places: a blank name leaves
    that place to be named later. The same person twice (by name or email) is refused,
    and nothing changes once the session has started or its register is taken.
    """
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("session").get(pk=booking.pk)
    )
    if booking.session_id is None:
        raise ValidationError("Only CPD places have delegates")
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.REQUESTED):
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: its delegates cannot change"
        )
    _check_names_may_change(booking.session, now)
    places = list(booking.delegates.order_by("pk"))
    delegates = [Delegate(d.name.strip(), d.email.strip().lower()) for d in delegates]
    if len(delegates) != len(places):
        raise ValidationError(f"Give one delegate for each of the {len(places)} places")
    problems = duplicate_delegate_problems(delegates)
    for delegate in delegates:
        if delegate.email and not delegate.name:
            problems.append(f"Enter the name of the delegate whose email is {delegate.email}")
    if problems:
        raise ValidationError(problems)
    changed = []
    for place, delegate in zip(places, delegates, strict=True):
        if (place.delegate_name, place.delegate_email) != (delegate.name, delegate.email):
            place.delegate_name = delegate.name
            place.delegate_email = delegate.email
            place.save(update_fields=["delegate_name", "delegate_email"])
            changed.append(place)
    return changed


def may_take_register(user, session) -> bool:
    """The coordinator takes any register; a practitioner only that of a session they run."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return (
        user.role == Role.PRACTITIONER
        and session.facilitator_id is not None
        and session.facilitator.user_id == user.pk
    )


def register_places(session):
    """The places on a session's register: those of bookings holding places, in booking order."""
    return (
        DelegatePlace.objects.filter(
            session=session,
            booking__status__in=(Booking.Status.CONFIRMED, Booking.Status.DELIVERED),
        )
        .select_related("booking__school")
        .order_by("booking__school__name", "booking_id", "pk")
    )


@transaction.atomic
def take_register(*, session, marks: dict, by, now=None) -> list[Booking]:
    """Mark delegates present, absent or cancelled late; deliver every fully marked booking.

    Only from the session's start, by the coordinator or the session's facilitator. A
    booking is delivered on the session's date once each of its places is marked, and its
    missed places are charged then, per the offer's cancellation policy
    (`rules.missed_place_charges`). A delivered booking's marks are final: a mistake is
    put right by a credit note, as for any delivered booking. Returns the bookings delivered.
    """
    now = now or timezone.now()
    session = CourseSession.objects.select_related("facilitator", "offer").get(pk=session.pk)
    if not may_take_register(by, session):
        raise PermissionDenied
    if now < session.starts_at():
        raise ValidationError(
            f"The register can be taken once the session starts, at {session.start_time:%H:%M} "
            f"on {session.date:%-d %B %Y}"
        )
    bookings = {
        b.pk: b
        for b in Booking.objects.select_for_update()
        .filter(session=session, status=Booking.Status.CONFIRMED)
        .order_by("pk")
    }
    places = list(
        DelegatePlace.objects.select_for_update()
        .filter(booking_id__in=list(bookings))
        .order_by("booking_id", "pk")
    )
    open_places = {place.pk: place for place in places}
    unknown = [pk for pk in marks if pk not in open_places]
    if unknown:
        raise ValidationError(
            "The register has changed since it was opened (a booking was delivered or "
            "cancelled): open it again"
        )
    for pk, mark in marks.items():
        if mark not in Attendance.values:
            raise ValidationError("Choose present, absent or late cancellation for each delegate")
        place = open_places[pk]
        if place.attendance != mark:
            place.attendance = mark
            place.marked_by = by
            place.marked_at = now
            place.save(update_fields=["attendance", "marked_by", "marked_at"])
    policy = OfferCancellationPolicy.objects.filter(offer=session.offer_id).first()
    delivered = []
    for booking in bookings.values():
        own = [p for p in places if p.booking_id == booking.pk]
        if not own or any(not p.attendance for p in own):
            continue
        _charge_missed_places(booking, own, policy)
        booking.status = Booking.Status.DELIVERED
        booking.delivered_on = session.date
        booking._change_reason = "Register taken"
        booking.save()
        delivered.append(booking)
    return delivered


def _charge_missed_places(booking, places, policy):
    late = [p for p in places if p.attendance == Attendance.LATE_CANCELLATION]
    absent = [p for p in places if p.attendance == Attendance.ABSENT]
    result = rules.missed_place_charges(
        charged_places=int(booking.charged_units),
        unit_price=booking.unit_price,
        late=len(late),
        absent=len(absent),
        # No policy, or one free to the day itself: cancelling on the day costs nothing.
        late_is_free=policy is None or policy.free_until_days == 0,
        charge_percent=policy.charge_percent if policy else None,
        no_show_charge=policy.no_show_charge if policy else None,
    )
    for index, (place, charge) in enumerate(zip(late + absent, result.charges, strict=True)):
        place.attendance_charge = charge
        place.place_charge_replaced = index < result.replaced
        place.save(update_fields=["attendance_charge", "place_charge_replaced"])


def has_evaluation(place) -> bool:
    try:
        return place.evaluation is not None
    except Evaluation.DoesNotExist:
        return False


@transaction.atomic
def return_evaluation(*, place, ratings: dict, comments="", by=None) -> Evaluation:
    """Record a delegate's evaluation: a rating of 1 to 5 for each question, and comments.

    Only a delegate marked present evaluates the session, and only once. `ratings` maps
    each question as asked to its rating; the question is kept with its answer.
    """
    place = DelegatePlace.objects.select_for_update().get(pk=place.pk)
    if place.attendance != Attendance.PRESENT:
        raise ValidationError("Only a delegate who attended can evaluate the session")
    if Evaluation.objects.filter(place=place).exists():
        raise ValidationError("This delegate's evaluation has already been returned")
    questions = evaluation_questions()
    problems = [
        f"Rate '{question}' from 1 to 5"
        for question in questions
        if ratings.get(question) not in (1, 2, 3, 4, 5)
    ]
    if problems:
        raise ValidationError(problems)
    evaluation = Evaluation.objects.create(place=place, comments=comments.strip(), returned_by=by)
    EvaluationRating.objects.bulk_create(
        EvaluationRating(
            evaluation=evaluation, position=position, question=question, rating=ratings[question]
        )
        for position, question in enumerate(questions, start=1)
    )
    return evaluation


def certificate_released(place) -> bool:
    """A CPD certificate once the delegate attended and their evaluation is returned."""
    return place.attendance == Attendance.PRESENT and has_evaluation(place)
