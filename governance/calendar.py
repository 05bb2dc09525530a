"""The board meetings in a person's calendar feed (partnership/calendar_feed.py)."""

import datetime

from django.db.models import Q
from django.urls import reverse

from partnership.calendar_feed import CalendarEvent

from .models import Meeting
from .views import BOARD_READERS


def events(user, start, end) -> list[CalendarEvent]:
    meetings = Meeting.objects.filter(date__range=(start, end)).select_related("board")
    may_open = user.role in BOARD_READERS
    if not may_open:
        # Someone holding a seat (a headteacher representative, say) gets their boards'
        # meetings, without a link to pages their role cannot open.
        meetings = meetings.filter(
            Q(board__seats__holder_user=user)
            & (Q(board__seats__term_end__isnull=True) | Q(board__seats__term_end__gte=start))
        ).distinct()
    return [
        CalendarEvent(
            uid=f"meeting-{meeting.pk}",
            title=f"{meeting.board.name}: {meeting.title}",
            starts=meeting.date,
            ends=meeting.date + datetime.timedelta(days=1),
            location=meeting.location,
            path=reverse("governance:meeting", args=[meeting.pk]) if may_open else "",
        )
        for meeting in meetings
    ]
