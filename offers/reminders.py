"""Reminders offers sends (partnership/reminders.py): a course session tomorrow, and an
evaluation not yet returned after a session the delegate attended."""

import datetime

from partnership.reminders import Reminder, ReminderKind
from partnership.roles import Role
from schools.selectors import cpd_lead_emails, school_user_emails

from .models import Booking, DelegatePlace

SESSION_TOMORROW = ReminderKind(
    kind="session_tomorrow",
    label="The day before a course session your school booked",
    roles=(Role.HEADTEACHER,),
)
EVALUATION_DUE = ReminderKind(
    kind="evaluation_due",
    label="After a course session, while a delegate's evaluation is not returned",
    roles=(Role.HEADTEACHER,),
)
KINDS = (SESSION_TOMORROW, EVALUATION_DUE)
# ASSUMPTION: a delegate is asked two days after the session, once; evaluations returned
# after three weeks say little, so none is asked for after that.
EVALUATION_AFTER_DAYS = 2
EVALUATION_WITHIN_DAYS = 21


def _school_emails(school) -> set[str]:
    """The school's people in the portal and its CPD leads (one or two queries a school:
    this runs once a day, not on a page)."""
    return set(school_user_emails(school)) | set(cpd_lead_emails(school))


def due(today: datetime.date):
    yield from _sessions_tomorrow(today)
    yield from _evaluations_due(today)


def _sessions_tomorrow(today):
    tomorrow = today + datetime.timedelta(days=1)
    bookings = (
        Booking.objects.filter(session__date=tomorrow, status__in=Booking.HAS_PLACE)
        .select_related("session__offer", "school", "booked_by")
        .prefetch_related("delegates")
    )
    for booking in bookings:
        session = booking.session
        delegates = ", ".join(
            place.delegate_name for place in booking.delegates.all() if place.delegate_name
        )
        body = (
            f"Dear colleague,\n\n{booking.school.name} is booked on {session.offer.name} "
            f"tomorrow, {session.date.day} {session.date:%B %Y}, at {session.start_time:%H:%M}, "
            f"{session.venue}.\n"
            + (f"Delegates: {delegates}.\n" if delegates else "")
            + "\nIf you can no longer attend, cancel the booking on the partnership portal "
            "(a late cancellation may be charged).\n"
        )
        emails = _school_emails(booking.school)
        if booking.booked_by.is_active:
            emails.add(booking.booked_by.email)
        for email in sorted(emails):
            yield Reminder(
                kind=SESSION_TOMORROW.kind,
                about=f"booking:{booking.pk}:{session.date.isoformat()}",
                email=email,
                subject=f"Tomorrow: {session.offer.name} at {session.start_time:%H:%M}",
                body=body,
            )


def _evaluations_due(today):
    places = DelegatePlace.objects.filter(
        attendance=DelegatePlace.Attendance.PRESENT,
        evaluation__isnull=True,
        session__date__lte=today - datetime.timedelta(days=EVALUATION_AFTER_DAYS),
        session__date__gte=today - datetime.timedelta(days=EVALUATION_WITHIN_DAYS),
    ).select_related("session__offer", "booking__school")
    for place in places:
        session = place.session
        who = place.delegate_name or "your delegate"
        where = (
            # A delegate with their own email was sent a link to it, needing no account.
            "from the link we emailed you after the session (no account needed)"
            if place.delegate_email
            else "on the partnership portal (Bookings, then the session)"
        )
        body = (
            f"Dear colleague,\n\nThank you for attending {session.offer.name} on "
            f"{session.date.day} {session.date:%B %Y}. Please tell us how it went: the "
            f"evaluation for {who} takes two minutes, {where}. The CPD certificate is "
            "released once it is returned.\n"
        )
        emails = (
            {place.delegate_email} if place.delegate_email else _school_emails(place.booking.school)
        )
        for email in sorted(emails):
            yield Reminder(
                kind=EVALUATION_DUE.kind,
                about=f"evaluation:{place.pk}",
                email=email,
                subject=f"How was {session.offer.name}? Your evaluation",
                body=body,
            )
