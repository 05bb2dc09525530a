"""Reading the history that django-simple-history keeps of audited records.

Each app says in its own `history.py` how its audited records appear in a history (an
`Audited`: what the record is called, where its name or number is searched, which page
shows it). Pages then read changes of several kinds of record as one list, newest first:

- `history_rows()` selects one kind's history rows as plain values, filtered;
- `union()` merges several kinds into one queryset the database orders and pages;
- `entries()` turns the rows of one page into `Entry`s (who, what, which fields changed
  from what to what) in one query per kind of record on the page, however many rows.

Changes made by a person name them; changes made with no one signed in (the partnership
file, an import, a background run) name what made them (`recorded_as()`), or the portal.

Records that decide who may do what, or what a school pays, keep their history with
`AuditedRecords` (only saves that change something kept) or `PersonRecords` (a person's
account: that a password was set, never the password); `start_history()` gives records
already there when a kind's history begins their "created" row.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .money import format_money
from .records import stored
from .words import long_date

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
THE_PORTAL = "The portal"
# Who made the "created" row of a record already there when its history began.
BEFORE_THE_TRAIL = "Before the audit trail"
ROW_FIELDS = ("history_id", "history_date", "history_type")
LONGEST_VALUE = 80

_reason = ContextVar("history_reason", default="")


@contextmanager
def recorded_as(reason: str):
    """Changes saved inside this block record why they were made ("Partnership file")."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


@receiver(pre_create_historical_record)
def _record_reason(sender, history_instance, **kwargs):
    reason = _reason.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


class AuditedRecords(HistoricalRecords):
    """History that writes a row only when a field it keeps changes.

    A save that changes nothing kept (a person's last sign-in, an authenticator's last use
    or its secret data, all left out of their history) or nothing at all (a form saved as
    it was) would otherwise show in the trail as "Changed" with nothing changed.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        if created or self.changed(instance, kwargs.get("update_fields")):
            super().post_save(instance, created, using=using, **kwargs)

    def changed(self, instance, update_fields) -> bool:
        if update_fields is not None and set(update_fields) <= set(self.excluded_fields):
            return False
        latest = (
            getattr(instance, self.manager_name).order_by("-history_date", "-history_id").first()
        )
        if latest is None:
            return True
        return any(
            stored(kept, getattr(instance, kept.attname)) != getattr(latest, kept.attname)
            for kept in self.fields_included(instance)
        )


class PasswordSet(models.Model):
    """On a person's history row: whether that save set their password (never the password)."""

    password_set = models.BooleanField(default=False)

    class Meta:
        abstract = True


class PersonRecords(AuditedRecords):
    """A person's history: the password hash and last sign-in are left out (give them as
    `excluded_fields`), but a save that sets a new password is kept, marked `password_set`."""

    def __init__(self, **kwargs):
        super().__init__(bases=[PasswordSet], **kwargs)

    def changed(self, instance, update_fields) -> bool:
        return _sets_password(instance) or super().changed(instance, update_fields)


def _sets_password(instance) -> bool:
    # Django keeps the new raw password on the user from set_password() until it is saved.
    return getattr(instance, "_password", None) is not None


@receiver(pre_create_historical_record)
def _record_password_set(sender, instance, history_instance, **kwargs):
    if isinstance(history_instance, PasswordSet):
        history_instance.password_set = _sets_password(instance)


def start_history(live: str, history: str, *, written_at: str | None = None):
    """A migration step giving each `live` record ("app.Model") already there a "created"
    row in its new `history` ("app.HistoricalModel"), dated `written_at` (a field) or now,
    and made "Before the audit trail": the first change after it then shows from what."""

    def run(apps, schema_editor):
        live_model, history_model = apps.get_model(live), apps.get_model(history)
        kept = {column.attname for column in live_model._meta.concrete_fields}
        columns = [
            column.attname
            for column in history_model._meta.concrete_fields
            if column.attname in kept and not column.name.startswith("history_")
        ]
        now = timezone.now()
        rows = live_model.objects.order_by("pk").values(*columns, **_when(written_at))
        history_model.objects.bulk_create(
            (
                history_model(
                    **{column: row[column] for column in columns},
                    history_date=row["written_at"] or now,
                    history_type="+",
                    history_change_reason=BEFORE_THE_TRAIL,
                )
                for row in rows.iterator()
            ),
            batch_size=2000,
        )

    return run


def _when(written_at: str | None) -> dict:
    if written_at:
        return {"written_at": F(written_at)}
    return {"written_at": Value(None, output_field=models.DateTimeField())}


@dataclass(frozen=True)
class Audited:
    """How one kind of audited record appears in a history.

    `name`, `url` and `created` read a historical row (the record as it was then);
    `search` names its fields, joins allowed, that hold the record's name or number;
    `number` turns a typed reference ("B00012") into a filter, or None; `labels` name
    fields in the trail where the model's own names would not do ("Staff" for is_staff),
    `formats` show a field's values where the usual way would not (a fee's bands), and
    `noted` adds what a version records besides its fields ("Password set").
    """

    key: str
    label: str
    model: type[models.Model]
    name: Callable[[Any], str]
    search: tuple[str, ...] = ()
    url: Callable[[Any], str | None] = lambda row: None
    created: Callable[[Any], str] | None = None
    number: Callable[[str], Q | None] = lambda text: None
    related: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict, compare=False)
    noted: Callable[[Any], list[str]] = lambda version: []

    @property
    def history(self) -> type[models.Model]:
        return self.model.history.model

    def matching(self, text: str) -> Q:
        found = Q(pk__in=[])
        for name in self.search:
            found |= Q(**{f"{name}__icontains": text})
        by_number = self.number(text.strip())
        return found | by_number if by_number is not None else found


@dataclass
class Entry:
    """One change to one record, ready to show."""

    when: datetime.datetime
    who: str
    record_type: str
    record: str
    url: str | None
    action: str
    changes: list[str] = field(default_factory=list)

    @property
    def what_changed(self) -> str:
        return "; ".join(self.changes)


def history_rows(
    audited: Audited,
    *,
    where: Q | None = None,
    who: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    search: str = "",
):
    """One kind's history rows as values, each with `audited` (the kind's key), filtered."""
    rows = audited.history._default_manager.order_by()
    if where is not None:
        rows = rows.filter(where)
    for word in who.split():
        rows = rows.filter(
            Q(history_user__first_name__icontains=word)
            | Q(history_user__last_name__icontains=word)
            | Q(history_user__email__icontains=word)
        )
    if action:
        rows = rows.filter(history_type=action)
    if since:
        rows = rows.filter(history_date__gte=_start_of(since))
    if until:
        rows = rows.filter(history_date__lt=_start_of(until + datetime.timedelta(days=1)))
    if search.strip():
        rows = rows.filter(audited.matching(search.strip()))
    return rows.values(*ROW_FIELDS, audited=Value(audited.key, output_field=models.CharField()))


def union(querysets):
    """Rows of several kinds as one queryset, newest first; it counts, orders and slices
    in the database (it cannot be filtered: filter each kind with `history_rows`)."""
    first, *others = querysets
    merged = first.union(*others, all=True) if others else first
    return merged.order_by("-history_date", "-history_id", "audited")


def entries(rows, kinds: dict[str, Audited]) -> list[Entry]:
    """The rows (dicts from `history_rows`) as entries, in their order; `kinds` maps each
    row's `audited` key to its Audited.

    One query per kind of record among the rows fetches their historical rows and, for
    each change, the version before it, with the people and records they name.
    """
    rows = list(rows)
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["audited"]].append(row)
    versions = {key: _versions(kinds[key], kind_rows) for key, kind_rows in by_kind.items()}
    found = []
    for row in rows:
        version, before = versions[row["audited"]][row["history_id"]]
        found.append(_entry(kinds[row["audited"]], version, before))
    return found


def in_batches(rows, kinds: dict[str, Audited], size: int = 500) -> Iterator[Entry]:
    """Every row of an ordered queryset as entries, a slice at a time (for downloads)."""
    start = 0
    while True:
        batch = list(rows[start : start + size])
        yield from entries(batch, kinds)
        if len(batch) < size:
            return
        start += size


def person(user) -> str:
    """A person as the trail names them: "Ann Smith (ann@school.example)", from their
    account or a version of it; an account since removed is said to be."""
    if user is None:
        return "a removed account"
    name = f"{user.first_name} {user.last_name}".strip()
    return f"{name} ({user.email})" if name else user.email


def made_by(version) -> str:
    if version.history_user_id and version.history_user is not None:
        return str(version.history_user)
    return version.history_change_reason or THE_PORTAL


def changes_between(version, before, audited: Audited | None = None) -> list[str]:
    """Each tracked field that differs, in the model's order: "Status: Active → Lapsed"
    (named and shown as `audited` says, where it says)."""
    labels = audited.labels if audited else {}
    formats = audited.formats if audited else {}
    delta = version.diff_against(before, foreign_keys_are_objs=True)
    changed = {change.field: change for change in delta.changes}
    lines = []
    for tracked in version.tracked_fields:
        change = changed.get(tracked.name)
        if change is not None:
            shown = formats.get(tracked.name)
            old, new = (
                (_or_none(shown, change.old), _or_none(shown, change.new))
                if shown
                else (_shown(tracked, change.old), _shown(tracked, change.new))
            )
            label = labels.get(tracked.name) or capfirst(tracked.verbose_name)
            lines.append(f"{label}: {old} → {new}")
    return lines


def _or_none(shown, value) -> str:
    return "none" if value is None or value == "" else shown(value)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _versions(audited: Audited, rows) -> dict[int, tuple[Any, Any]]:
    """{history_id: (that version, the version before it or None)} in one query."""
    history = audited.history
    manager = history._default_manager
    wanted = [row["history_id"] for row in rows]
    changes = [row["history_id"] for row in rows if row["history_type"] == "~"]
    earlier = (
        manager.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    before_changes = (
        manager.filter(history_id__in=changes).annotate(before=Subquery(earlier)).values("before")
    )
    joined = [f.name for f in history._meta.fields if f.many_to_one] + list(audited.related)
    fetched = manager.filter(Q(history_id__in=wanted) | Q(history_id__in=before_changes))
    by_record = defaultdict(list)
    for version in fetched.select_related(*joined).order_by("history_date", "history_id"):
        by_record[version.id].append(version)
    # Every version fetched of a record is one of the rows or the one just before a row,
    # so a row's predecessor among them is its predecessor in the whole history.
    found = {}
    for versions in by_record.values():
        for index, version in enumerate(versions):
            before = versions[index - 1] if index and version.history_type == "~" else None
            found[version.history_id] = (version, before)
    return found


def _entry(audited: Audited, version, before) -> Entry:
    if before is not None:
        changes = changes_between(version, before, audited)
    elif version.history_type == "+" and audited.created is not None:
        changes = [audited.created(version)]
    else:
        changes = []
    changes.extend(audited.noted(version))
    if version.history_user_id and version.history_change_reason:
        changes.append(f"Reason: {version.history_change_reason}")
    return Entry(
        when=version.history_date,
        who=made_by(version),
        record_type=audited.label,
        record=audited.name(version),
        url=audited.url(version) if version.history_type != "-" else None,
        action=ACTIONS[version.history_type],
        changes=changes,
    )


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return "none"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{long_date(local)} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return long_date(value)
    if isinstance(value, Decimal) and _is_money(model_field):
        return format_money(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return Truncator(str(value)).chars(LONGEST_VALUE)


def _is_money(model_field) -> bool:
    # Amounts of money are DecimalFields of pounds and pence big enough for a fee;
    # smaller two-place decimals are rates and quantities.
    return model_field.decimal_places == 2 and model_field.max_digits >= 10
