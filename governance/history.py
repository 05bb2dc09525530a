"""How minutes and decisions appear in an audit trail (see partnership.history)."""

from django.urls import reverse
from django.utils.text import Truncator

from partnership.history import Audited

from .models import Decision, Minutes


def _meeting(record) -> str:
    return str(record.meeting) if record.meeting is not None else "a removed meeting"


def _published_minutes_page(minutes):
    # Published minutes stay published, so their page opens for finance from then on.
    if minutes.status == Minutes.Status.PUBLISHED:
        return reverse("governance:minutes", args=[minutes.meeting_id])
    return None


MINUTES = Audited(
    key="minutes",
    label="Minutes",
    model=Minutes,
    name=lambda minutes: f"Minutes of {_meeting(minutes)}",
    search=("meeting__title",),
    url=_published_minutes_page,
    labels={"text": "Minutes", "published_at": "Published"},
    created=lambda minutes: f"{minutes.get_status_display()}: {Truncator(minutes.text).chars(80)}",
)
DECISION = Audited(
    key="decision",
    label="Decision",
    model=Decision,
    name=lambda decision: f"{_meeting(decision)}: {Truncator(decision.text).chars(60)}",
    search=("text", "meeting__title"),
    labels={"text": "Decision"},
    created=lambda decision: Truncator(decision.text).chars(200),
)

AUDITED = (MINUTES, DECISION)
