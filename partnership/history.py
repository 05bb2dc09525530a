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
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from simple_history.signals import pre_create_historical_record

from .money import format_money

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
THE_PORTAL = "The portal"
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


@dataclass(frozen=True)
class Audited:
    """How one kind of audited record appears in a history.

    `name`, `url` and `created` read a historical row (the record as it was then);
    `search` names its fields, joins allowed, that hold the record's name or number;
    `number` turns a typed reference ("B00012") into a filter, or None.
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


def made_by(version) -> str:
    if version.history_user_id and version.history_user is not None:
        return str(version.history_user)
    return version.history_change_reason or THE_PORTAL


def changes_between(version, before) -> list[str]:
    """Each tracked field that differs, in the model's order: "Status: Active → Lapsed"."""
    delta = version.diff_against(before, foreign_keys_are_objs=True)
    changed = {change.field: change for change in delta.changes}
    lines = []
    for tracked in version.tracked_fields:
        change = changed.get(tracked.name)
        if change is not None:
            old, new = _shown(tracked, change.old), _shown(tracked, change.new)
            lines.append(f"{capfirst(tracked.verbose_name)}: {old} → {new}")
    return lines


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
        changes = changes_between(version, before)
    elif version.history_type == "+" and audited.created is not None:
        changes = [audited.created(version)]
    else:
        changes = []
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
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal) and _is_money(model_field):
        return format_money(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return Truncator(str(value)).chars(LONGEST_VALUE)


def _is_money(model_field) -> bool:
    # Amounts of money are DecimalFields of pounds and pence big enough for a fee;
    # smaller two-place decimals are rates and quantities.
    return model_field.decimal_places == 2 and model_field.max_digits >= 10
