"""Reminder emails: each sent once, recorded, and each kind can be turned off by a person.

Each app may have a `reminders.py` with `KINDS` (a tuple of `ReminderKind`) and
`due(today) -> iterable of Reminder` for what it owns (a session tomorrow, an invoice
overdue, an action past its date); the daily beat task gathers them here, leaves out anyone
who turned that kind off and anything already sent, and sends the rest.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ReminderChoice, ReminderSent, User
from .navigation import APPS


@dataclass(frozen=True)
class ReminderKind:
    kind: str
    label: str  # what a person sees beside its checkbox
    roles: tuple  # who may receive it, so the page offers only what applies


@dataclass(frozen=True)
class Reminder:
    kind: str
    about: str  # what it is about, stable from day to day ("invoice:123")
    email: str
    subject: str
    body: str


def _modules():
    for app in APPS:
        name = f"{app}.reminders"
        try:
            yield import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def all_kinds() -> list[ReminderKind]:
    return [kind for module in _modules() for kind in getattr(module, "KINDS", ())]


def kinds_for(user) -> list[ReminderKind]:
    return [kind for kind in all_kinds() if user.role in kind.roles]


def turned_off(user) -> set[str]:
    return set(ReminderChoice.objects.filter(user=user).values_list("kind", flat=True))


def choose(user, wanted: set[str]):
    """Keep the kinds the person wants; turn off the rest of those that apply to them."""
    offered = {kind.kind for kind in kinds_for(user)}
    with transaction.atomic():
        for kind in offered - wanted:
            ReminderChoice.objects.get_or_create(user=user, kind=kind)
        for choice in ReminderChoice.objects.filter(user=user, kind__in=offered & wanted):
            choice.delete()


def wants(emails, kind: str) -> set[str]:
    """The addresses of `emails` whose person has not turned `kind` off (addresses with no
    account, such as a contact without a login, always receive)."""
    emails = {email.lower() for email in emails if email}
    refused = set(
        User.objects.filter(email__in=emails, reminders_off__kind=kind).values_list(
            "email", flat=True
        )
    )
    return emails - {email.lower() for email in refused}


def send_due_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send every reminder due today that was not sent before and is wanted; returns how
    many of each kind went. Run daily; running twice sends nothing more."""
    today = today or timezone.localdate()
    due = [reminder for module in _modules() for reminder in module.due(today)]
    by_kind: dict[str, list[Reminder]] = {}
    for reminder in due:
        by_kind.setdefault(reminder.kind, []).append(reminder)
    sent = {kind.kind: 0 for kind in all_kinds()}
    for kind, reminders in by_kind.items():
        allowed = wants({reminder.email for reminder in reminders}, kind)
        already = set(
            ReminderSent.objects.filter(
                kind=kind, about__in={reminder.about for reminder in reminders}
            ).values_list("about", "email")
        )
        count = 0
        for reminder in reminders:
            email = reminder.email.lower()
            if email not in allowed or (reminder.about, email) in already:
                continue
            try:
                # Recorded first, in the same transaction as the send: a failed send leaves
                # no record, and a second worker sending at once fails on the unique record.
                with transaction.atomic():
                    ReminderSent.objects.create(kind=kind, about=reminder.about, email=email)
                    send_mail(reminder.subject, reminder.body, None, [email])
            except IntegrityError:
                continue
            already.add((reminder.about, email))
            count += 1
        sent[kind] = count
    return sent
