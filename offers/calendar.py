"""The dates offers adds to a person's calendar feed (partnership/calendar_feed.py):
course sessions and practitioners' deployment days."""

import datetime

from django.db.models import Q
from django.urls import reverse

from partnership.calendar_feed import CalendarEvent
from partnership.roles import Role
from schools.permissions import for_schools_of, schools_for

from .models import Booking, CourseSession, DeploymentDay

# ASSUMPTION: a CPD session without an end time is taken to last three hours so calendars
# show a block rather than a point.
SESSION_HOURS = 3


def _session_event(session, *, uid_suffix="", path=""):
    starts = datetime.datetime.combine(session.date, session.start_time)
    ends = starts + datetime.timedelta(hours=SESSION_HOURS)
    if session.end_time is not None:
        ends = datetime.datetime.combine(session.date, session.end_time)
    return CalendarEvent(
        uid=f"course-session-{session.pk}{uid_suffix}",
        title=session.name,
        starts=starts,
        ends=ends,
        location=session.venue or session.online_link,
        path=path,
    )


def _day_event(day, *, with_practitioner: bool):
    deployment = day.deployment
    work = deployment.work
    title = f"{work.offer.name} at {work.school.name}"
    if with_practitioner:
        title = f"{deployment.practitioner.name}: {title}"
    return CalendarEvent(
        uid=f"deployment-day-{day.pk}",
        title=title,
        starts=day.date,
        ends=day.date + datetime.timedelta(days=1),
        location=work.school.name,
    )


def _days(start, end):
    return DeploymentDay.objects.filter(active=True, date__range=(start, end)).select_related(
        "deployment__practitioner",
        "deployment__booking__offer",
        "deployment__booking__school",
        "deployment__package__offer",
        "deployment__package__school",
    )


def events(user, start, end) -> list[CalendarEvent]:
    found = []
    if user.role == Role.COORDINATOR:
        sessions = CourseSession.objects.filter(date__range=(start, end)).select_related("offer")
        found += [_session_event(session) for session in sessions]
        found += [_day_event(day, with_practitioner=True) for day in _days(start, end)]
    elif user.role == Role.HEADTEACHER:
        bookings = for_schools_of(
            user,
            Booking.objects.filter(
                session__date__range=(start, end), status__in=Booking.HAS_PLACE
            ).select_related("session__offer", "school"),
        )
        found += [
            _session_event(
                booking.session,
                uid_suffix=f"-booking-{booking.pk}",
                path=reverse("offers:booking_detail", args=[booking.pk]),
            )
            for booking in bookings
        ]
        schools = schools_for(user)
        days = _days(start, end).filter(
            Q(deployment__booking__school__in=schools) | Q(deployment__package__school__in=schools)
        )
        found += [_day_event(day, with_practitioner=True) for day in days]
    elif user.role == Role.PRACTITIONER:
        days = _days(start, end).filter(deployment__practitioner__user=user)
        found += [_day_event(day, with_practitioner=False) for day in days]
    return found
