"""Reminders governance sends (partnership/reminders.py): a board action past its date."""

import datetime

from django.db.models import Value
from django.db.models.functions import Concat, Lower

from partnership.models import User
from partnership.reminders import Reminder, ReminderKind
from partnership.roles import Role

from .models import Action

ACTION_OVERDUE = ReminderKind(
    kind="action_overdue",
    label="When a board action you own is past its date",
    roles=tuple(Role),
)
KINDS = (ACTION_OVERDUE,)


def due(today: datetime.date):
    actions = list(
        Action.objects.filter(status=Action.Status.OPEN, due_date__lt=today).select_related(
            "meeting__board"
        )
    )
    if not actions:
        return
    # An action's owner is written as a name or an email address; it reaches a person only
    # when that matches someone who signs in.
    owners = {action.owner.strip().lower() for action in actions}
    people = User.objects.filter(is_active=True).annotate(
        full_name=Lower(Concat("first_name", Value(" "), "last_name"))
    )
    email_of = {}
    for person in people.filter(email__in=owners):
        email_of[person.email.lower()] = person.email
    for person in people.filter(full_name__in=owners):
        email_of.setdefault(person.full_name, person.email)
    for action in actions:
        email = email_of.get(action.owner.strip().lower())
        if email is None:
            continue
        yield Reminder(
            kind=ACTION_OVERDUE.kind,
            about=f"action:{action.pk}:{action.due_date.isoformat()}",
            email=email,
            subject=f"Action overdue: {action.description[:80]}",
            body=(
                f"Dear {action.owner},\n\nThe action from {action.meeting.board.name}'s meeting "
                f"'{action.meeting.title}' was due on {action.due_date.day} "
                f"{action.due_date:%B %Y}:\n\n  {action.description}\n\nPlease mark it done on "
                "the partnership portal, or ask the coordinator to change its date.\n"
            ),
        )
