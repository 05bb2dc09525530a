"""Governance writes. Each holds one business rule, in words in its docstring."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.models import User

from .models import (
    Action,
    AgendaItem,
    Meeting,
    Minutes,
    Nomination,
    Paper,
    Seat,
    TaskAndFinishGroup,
    today,
)
from .uploads import validate_paper

ACCEPTED = (Nomination.Status.ELECTED, Nomination.Status.APPOINTED)


def nominate(
    *, seat: Seat, nominated_by: User, nominee_name: str, nominee_email: str, school, statement: str
) -> Nomination:
    """Anyone who may nominate puts themself or another person forward for a seat that
    is vacant now or whose term ends within 60 days; nothing else takes nominations."""
    if not (seat.is_vacant() or seat.term_expiring()):
        raise ValidationError("This seat is not vacant and its term is not ending soon")
    return Nomination.objects.create(
        seat=seat,
        nominated_by=nominated_by,
        nominee_name=nominee_name.strip(),
        nominee_email=nominee_email.strip().lower(),
        school=school,
        statement=statement.strip(),
    )


@transaction.atomic
def decide_nomination(
    *,
    nomination: Nomination,
    decided_by: User,
    outcome: str,
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> Nomination:
    """Record the outcome. An elected or appointed nominee takes the seat for the
    term given (start and end required, end after start), with their school and, when
    they have a portal account with that email, that account; the other pending
    nominations for the seat are then not elected. A decision is final."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.PENDING:
        raise ValidationError("This nomination has already been decided")
    if outcome not in Nomination.Status.values or outcome == Nomination.Status.PENDING:
        raise ValidationError("Choose an outcome")
    now = timezone.now()
    if outcome in ACCEPTED:
        if term_start is None or term_end is None:
            raise ValidationError("Give the start and end of the term")
        if term_end <= term_start:
            raise ValidationError("The term must end after it starts")
        seat = Seat.objects.select_for_update().get(pk=nomination.seat_id)
        seat.holder_name = nomination.nominee_name
        seat.holder_email = nomination.nominee_email
        seat.holder_user = User.objects.filter(email__iexact=nomination.nominee_email).first()
        seat.school = nomination.school
        seat.term_start = term_start
        seat.term_end = term_end
        seat.save()
        Nomination.objects.filter(seat=seat, status=Nomination.Status.PENDING).exclude(
            pk=nomination.pk
        ).update(status=Nomination.Status.NOT_ELECTED, decided_by=decided_by, decided_at=now)
    nomination.status = outcome
    nomination.decided_by = decided_by
    nomination.decided_at = now
    nomination.save()
    return nomination


def add_paper(*, agenda_item: AgendaItem, title: str, uploaded, uploaded_by: User) -> Paper:
    """A paper is stored only after its size and type are checked (extension and
    content); the stored name never comes from the uploader."""
    validate_paper(uploaded)
    original = uploaded.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = original.rsplit(".", 1)[-1].lower()
    uploaded.name = f"paper.{extension}"
    return Paper.objects.create(
        agenda_item=agenda_item,
        title=title,
        file=uploaded,
        original_name=original[:255],
        size=uploaded.size,
        uploaded_by=uploaded_by,
    )


def next_agenda_order(meeting: Meeting) -> int:
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def save_minutes(*, meeting: Meeting, text: str, publish: bool) -> Minutes:
    """Minutes stay a draft (board members and coordinators only) until published;
    published minutes are read by headteachers and finance officers too, and are not
    taken back to draft."""
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, defaults={"text": text})
    if minutes.status == Minutes.Status.PUBLISHED:
        raise ValidationError("These minutes are published and cannot be changed")
    minutes.text = text
    if publish:
        minutes.status = Minutes.Status.PUBLISHED
        minutes.published_at = timezone.now()
    minutes.save()
    return minutes


def complete_action(*, action: Action, on: datetime.date | None = None) -> Action:
    action.status = Action.Status.DONE
    action.completed_on = on or today()
    action.save(update_fields=["status", "completed_on"])
    return action


def close_group(*, group: TaskAndFinishGroup, closing_report: str, on: datetime.date | None = None):
    """A group closes with its closing report, which takes it off the board's flags."""
    if not closing_report.strip():
        raise ValidationError("Write the closing report")
    group.closing_report = closing_report.strip()
    group.closed_on = on or today()
    group.save(update_fields=["closing_report", "closed_on"])
    return group
