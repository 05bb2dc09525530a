"""Reminders offers sends (partnership/reminders.py): a course session tomorrow."""

import datetime

from django.db.models import Prefetch

from partnership.reminders import Reminder, ReminderKind
from partnership.roles import Role
from schools.models import SchoolContact

from .models import Booking

SESSION_TOMORROW = ReminderKind(
    kind="session_tomorrow",
    label="The day before a course session your school booked",
    roles=(Role.HEADTEACHER,),
)
KINDS = (SESSION_TOMORROW,)


def due(today: datetime.date):
    tomorrow = today + datetime.timedelta(days=1)
    bookings = (
        Booking.objects.filter(session__date=tomorrow, status__in=Booking.HOLDING)
        .select_related("session__offer", "school", "booked_by")
        .prefetch_related(
            "delegates",
            Prefetch(
                "school__contacts",
                queryset=SchoolContact.objects.current()
                .select_related("user")
                .filter(user__is_active=True),
            ),
        )
    )
    for booking in bookings:
        session = booking.session
        delegates = ", ".join(place.delegate_name for place in booking.delegates.all())
        body = (
            f"Dear colleague,\n\n{booking.school.name} is booked on {session.offer.name} "
            f"tomorrow, {session.date.day} {session.date:%B %Y}, at {session.start_time:%H:%M}, "
            f"{session.venue}.\n"
            + (f"Delegates: {delegates}.\n" if delegates else "")
            + "\nIf you can no longer attend, cancel the booking on the partnership portal "
            "(a late cancellation may be charged).\n"
        )
        emails = {contact.user.email for contact in booking.school.contacts.all()}
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
