"""Writes to the register of schools: GIAS import, causing-concern flag, school contacts."""

import datetime
import io
import operator
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import caches
from django.db import connection, transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from partnership.roles import Role
from partnership.services import invite_user

from . import gias
from .gias import GiasFileError, Rejection
from .models import GiasImport, PupilCount, School, SchoolContact, gias_import_progress_key
from .rules import school_category, school_governance, school_status

__all__ = [
    "GiasFileError",
    "ImportReport",
    "finish_gias_import",
    "import_gias",
    "queue_gias_import",
    "report_import_progress",
    "add_school_contact",
    "change_school_contact",
    "invite_school_contact",
    "mark_contact_left",
    "set_causing_concern",
]

# The fields GIAS is the source of truth for; everything else on a school (the
# causing-concern flag, contacts) belongs to the partnership and an import leaves it alone.
GIAS_FIELDS = (
    "name",
    "la_code",
    "la_name",
    "establishment_number",
    "establishment_type",
    "type_group",
    "phase",
    "gias_status",
    "postcode",
    "ofsted_rating",
    "ofsted_last_inspection",
    "trust_name",
    "head_first_name",
    "head_last_name",
    "telephone",
    "website",
    "opened_on",
    "closed_on",
)
DERIVED_FIELDS = ("category", "governance", "status")
SYNCED_FIELDS = GIAS_FIELDS + DERIVED_FIELDS
BATCH_SIZE = 1000
# Any fixed number naming "the GIAS import" among PostgreSQL advisory locks.
IMPORT_LOCK_KEY = 31200001
PROGRESS_SECONDS = 24 * 60 * 60
HISTORY_REASON = "GIAS import"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[gias.RowWarning] = field(default_factory=list)
    skipped: int = 0
    census_date: datetime.date | None = None
    # How many pupil counts the file's rows hold at each census date (new, changed or
    # already held), and how many rows had pupils but no census date to record them at.
    pupil_counts: dict[datetime.date, int] = field(default_factory=dict)
    pupils_not_recorded: int = 0
    # Schools newly linked to the school they replaced (a conversion).
    linked: int = 0

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )

    def pupil_summary(self) -> str:
        return pupil_summary(self.pupil_counts, self.pupils_not_recorded)

    def lines(self) -> list[str]:
        """The summary, the pupil counts, then one line per warning and rejected row."""
        lines = [self.summary(), self.pupil_summary()]
        if self.linked:
            lines.append(
                f"linked {self.linked} school{pluralize(self.linked)} to the school "
                "it replaced (PreviousEstablishmentNumber)"
            )
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        lines.extend(str(rejection) for rejection in self.rejections)
        return lines


def pupil_summary(counts: dict[datetime.date, int], not_recorded: int = 0) -> str:
    """'pupil numbers recorded: 41 at the 15-01-2026 census' (every census, oldest first)."""
    if counts:
        text = "pupil numbers recorded: " + ", ".join(
            f"{count} at the {census:%d-%m-%Y} census" for census, count in sorted(counts.items())
        )
    else:
        text = "no pupil numbers recorded"
    if not_recorded:
        text += (
            f"; {not_recorded} school{pluralize(not_recorded)} with NumberOfPupils but no "
            "CensusDate (not recorded)"
        )
    return text


@contextmanager
def _opened(file):
    """A binary stream over bytes, a path, or an open (uploaded) file, read line by line."""
    if isinstance(file, bytes | bytearray):
        yield io.BytesIO(file)
    elif isinstance(file, str | Path):
        with open(file, "rb") as stream:
            yield stream
    elif getattr(file, "seekable", lambda: False)():
        yield file
    else:  # a pipe: the encoding is told in a first pass, so keep a copy to read again
        yield io.BytesIO(file.read())


def import_gias(
    file,
    *,
    la_codes: Iterable[str] | None = None,
    census_date: datetime.date | None = None,
    source: str = "",
    imported_by=None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Bring the register in line with a GIAS establishment CSV, matching schools by URN.

    Rules: a school whose URN is new is created; one whose GIAS fields (or derived
    category, governance or status) differ is updated; otherwise it is unchanged.
    Schools not in the file are left as they are (GIAS extracts are often one LA).
    Each row's NumberOfPupils is recorded as the count at its CensusDate, or at
    `census_date` when given (which overrides the file's); a count already held for
    that school and census is replaced, a blank records nothing, and a school whose
    count is added or changed counts as updated. A school whose PreviousEstablishmentNumber
    names a school in the register is linked to it as its predecessor. Rejected rows
    are reported and the rest imported, all in one transaction. A file that cannot be
    read at all raises GiasFileError before anything is written.

    The register is compared as plain values, and only new or changed schools are
    written, in batches (COPY on PostgreSQL), with their history copied by the database.

    on_progress(done, total, message), when given, hears of the work in rows of the
    file: once the file is read, once the rows are compared with the register (the
    unchanged ones are then done), and after each batch of schools written.
    """
    with _opened(file) as stream:
        parsed = gias.parse(stream, la_codes=la_codes)
    rows = parsed.rows
    total = len(rows)
    progress = on_progress or (lambda done, total, message: None)
    progress(0, total, f"Read the file: {total} schools to compare with the register")
    report = ImportReport(
        rejections=parsed.rejections,
        warnings=parsed.warnings,
        skipped=parsed.skipped,
        census_date=census_date,
    )
    source = source[: PupilCount._meta.get_field("source").max_length]
    gias_values = operator.attrgetter(*GIAS_FIELDS)
    derived = _derivations()

    with transaction.atomic():
        _one_import_at_a_time()
        existing = _existing_schools([row.urn for row in rows])
        # The census of each row's count: the override, else the row's own CensusDate.
        wanted_counts = {}
        for row in rows:
            if row.pupils is None:
                continue
            census = census_date or row.census_date
            if census is None:
                report.pupils_not_recorded += 1
            else:
                wanted_counts[row.urn] = (census, row.pupils)
        held_counts = _held_counts({census for census, _ in wanted_counts.values()}, existing)

        to_create, to_update, updated = [], [], set()
        for row in rows:
            values = gias_values(row) + derived(row)
            held = existing.get(row.urn)
            if held is None:
                to_create.append((row.urn, *values))
                continue
            pk, _, held_values = held
            changed = values != held_values
            if changed:
                to_update.append((pk, *values))
            count = wanted_counts.get(row.urn)
            if changed or (count and held_counts.get((pk, count[0]), (0, None))[1] != count[1]):
                updated.add(pk)
        report.created = len(to_create)
        report.updated = len(updated)
        report.unchanged = total - report.created - report.updated

        done = report.unchanged
        progress(done, total, f"Writing {len(to_create)} new and {len(to_update)} changed schools")
        for start in range(0, len(to_create), BATCH_SIZE):
            batch = to_create[start : start + BATCH_SIZE]
            _insert_schools(batch)
            done += len(batch)
            progress(done, total, f"Created {start + len(batch)} of {len(to_create)} new schools")
        for start in range(0, len(to_update), BATCH_SIZE):
            batch = to_update[start : start + BATCH_SIZE]
            _bulk_update(School, SYNCED_FIELDS, batch)
            done += len(batch)
            progress(
                done, total, f"Updated {start + len(batch)} of {len(to_update)} changed schools"
            )
        ids = {urn: held[0] for urn, held in existing.items()}
        ids.update(_ids_of([new[0] for new in to_create]))

        linked = _link_predecessors(rows, ids, existing)
        report.linked = len(linked)
        # A school whose only change is its new link was counted as unchanged above.
        relinked = linked & {held[0] for held in existing.values()}
        newly_updated = relinked - updated
        report.updated += len(newly_updated)
        report.unchanged -= len(newly_updated)

        if wanted_counts:
            progress(done, total, "Recording pupil numbers")
        _record_pupil_counts(wanted_counts, held_counts, ids, source)
        report.pupil_counts = dict(Counter(census for census, _ in wanted_counts.values()))

        _record_in_history(
            [new[0] for new in to_create], key="urn", history_type="+", user=imported_by
        )
        written = [update[0] for update in to_update]
        _record_in_history(
            written + sorted(relinked - set(written)), key="pk", history_type="~", user=imported_by
        )
    return report


def queue_gias_import(
    upload, *, la_codes: list[str], census_date: datetime.date | None, imported_by
) -> GiasImport:
    """Keep an uploaded GIAS file (under MEDIA_ROOT/gias/) and record it, queued for import."""
    name = Path(upload.name).name[: GiasImport._meta.get_field("file_name").max_length]
    record = GiasImport(
        file_name=name,
        la_codes=list(la_codes or []),
        census_date=census_date,
        imported_by=imported_by,
    )
    record.file.save(name, upload, save=False)
    record.save()
    return record


def update_gias_import(import_id: int, **fields):
    """Record an import's status and outcome (outside the import's own transaction).

    Once an import has ended its uploaded file is deleted: the report is what is kept, and
    the file (which names every school's headteacher) is not held for longer than it is used.
    """
    now = timezone.now()
    if fields.get("status") == GiasImport.Status.RUNNING:
        fields.setdefault("started_at", now)
    if fields.get("status") in (GiasImport.Status.FINISHED, GiasImport.Status.FAILED):
        fields["finished_at"] = now
        stored = GiasImport.objects.filter(pk=import_id).values_list("file", flat=True).first()
        if stored:
            GiasImport._meta.get_field("file").storage.delete(stored)
        fields["file"] = ""
    if "message" in fields:
        fields["message"] = fields["message"][: GiasImport._meta.get_field("message").max_length]
    GiasImport.objects.filter(pk=import_id).update(**fields)


def finish_gias_import(import_id: int, report: ImportReport):
    """Record the report of an import that committed."""
    update_gias_import(
        import_id,
        status=GiasImport.Status.FINISHED,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        rejected=report.rejected,
        skipped=report.skipped,
        rejections=[{"line": r.line, "reason": r.reason} for r in report.rejections],
        warnings=[{"line": w.line, "message": w.message} for w in report.warnings],
        pupil_counts=[
            {"census_date": census.isoformat(), "count": count}
            for census, count in sorted(report.pupil_counts.items())
        ],
        pupils_not_recorded=report.pupils_not_recorded,
        linked=report.linked,
        message=report.summary(),
    )


def report_import_progress(import_id: int, done: int, total: int, message: str):
    """Progress goes to the cache, not the import's row: the import is one transaction,
    and what it writes to the database is invisible to the page until it commits."""
    caches["progress"].set(
        gias_import_progress_key(import_id),
        {"done": done, "total": total, "message": message[:300]},
        PROGRESS_SECONDS,
    )


def _one_import_at_a_time():
    """Hold a lock until the import's transaction ends.

    Two imports reading the register at once would both create the same new URNs and
    one would fail on the unique URN; waiting for the other makes it see them as
    existing. SQLite already lets only one transaction write at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def _derivations():
    """row -> (category, governance, status), worked out once per kind of school."""
    known = {}

    def derive(row):
        key = (row.establishment_type, row.type_group, row.phase, row.gias_status)
        if key not in known:
            known[key] = (
                school_category(
                    establishment_type=row.establishment_type,
                    type_group=row.type_group,
                    phase=row.phase,
                )
                or "",
                school_governance(
                    establishment_type=row.establishment_type, type_group=row.type_group
                ),
                school_status(row.gias_status),
            )
        return known[key]

    return derive


def _batches(items):
    items = list(items)
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _existing_schools(urns) -> dict[str, tuple]:
    """urn -> (pk, predecessor pk, the synced fields' values), as plain values."""
    existing = {}
    for batch in _batches(urns):
        for pk, urn, predecessor, *values in (
            School.objects.filter(urn__in=batch)
            .order_by()
            .values_list("pk", "urn", "predecessor_id", *SYNCED_FIELDS)
        ):
            existing[urn] = (pk, predecessor, tuple(values))
    return existing


def _ids_of(urns) -> dict[str, int]:
    ids = {}
    for batch in _batches(urns):
        ids.update(School.objects.filter(urn__in=batch).order_by().values_list("urn", "pk"))
    return ids


def _held_counts(censuses, existing) -> dict[tuple[int, datetime.date], tuple[int, int]]:
    """(school pk, census date) -> (count pk, pupils) for the censuses in the file."""
    if not censuses or not existing:
        return {}
    return {
        (school, census): (pk, pupils)
        for school, census, pk, pupils in PupilCount.objects.filter(census_date__in=censuses)
        .order_by()
        .values_list("school_id", "census_date", "pk", "pupils")
    }


def _record_pupil_counts(wanted, held, ids, source):
    new, changed = [], []
    for urn, (census, pupils) in wanted.items():
        school = ids[urn]
        count = held.get((school, census))
        if count is None:
            new.append((school, census, pupils, source))
        elif count[1] != pupils:
            changed.append((count[0], pupils, source))
    for batch in _batches(new):
        _insert(PupilCount, ("school", "census_date", "pupils", "source"), batch)
    _bulk_update(PupilCount, ("pupils", "source"), changed)


def _insert_schools(rows):
    """Create schools from (urn, *synced values); the partnership's own fields at their defaults."""
    others = [
        f
        for f in School._meta.concrete_fields
        if not f.primary_key and f.name not in ("urn", *SYNCED_FIELDS)
    ]
    defaults = tuple(f.get_default() for f in others)
    _insert(
        School,
        ("urn", *SYNCED_FIELDS, *(f.name for f in others)),
        [row + defaults for row in rows],
    )


def _link_predecessors(rows, ids, existing) -> set[int]:
    """Link each school whose PreviousEstablishmentNumber names another school in the
    register (in PreviousLA, else its own LA) to it; the pks of schools newly linked.

    Establishment numbers are reused over the years, so a closed school is preferred,
    then the one that closed last. A link is never removed by a file that lacks it.
    """
    wanted = {
        ids[row.urn]: (row.previous_la_code or row.la_code, row.previous_establishment_number)
        for row in rows
        if row.previous_establishment_number
    }
    if not wanted:
        return set()
    candidates = {}
    for batch in _batches({number for _, number in wanted.values()}):
        for pk, la_code, number, status, closed_on in (
            School.objects.filter(establishment_number__in=batch)
            .order_by()
            .values_list("pk", "la_code", "establishment_number", "status", "closed_on")
        ):
            candidates.setdefault((la_code, number), []).append((pk, status, closed_on))
    current = {held[0]: held[1] for held in existing.values()}
    links = []
    for school, key in wanted.items():
        options = [option for option in candidates.get(key, ()) if option[0] != school]
        if not options:
            continue
        predecessor = max(
            options,
            key=lambda o: (o[1] == School.Status.CLOSED, o[2] or datetime.date.min, o[0]),
        )[0]
        if current.get(school) != predecessor:
            links.append((school, predecessor))
    _bulk_update(School, ("predecessor",), links)
    return {school for school, _ in links}


def _copy_value(value) -> str:
    """One value in PostgreSQL's CSV COPY format: unquoted empty is NULL, "" is ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _insert(model, fields, rows):
    """Insert rows of plain values (in the order of `fields`) in one statement.

    Django's bulk_create prepares every value of every object in Python, which was
    most of a national import; PostgreSQL's COPY takes the rows as they are.
    """
    if not rows:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        names = [meta.get_field(name).attname for name in fields]
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    data = "".join(",".join(map(_copy_value, row)) + "\n" for row in rows)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, io.StringIO(data))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(data)


def _bulk_update(model, fields, rows):
    """Write these fields of many rows, given as (pk, *values), in few statements.

    Django's bulk_update builds a CASE per field over every row of a batch, which
    PostgreSQL evaluates row by row: 50,000 changed schools took minutes. There,
    one UPDATE ... FROM (VALUES ...) per batch joins on the key instead.
    """
    if not rows:
        return
    meta = model._meta
    if connection.vendor != "postgresql":
        names = [meta.get_field(name).attname for name in fields]
        model._default_manager.bulk_update(
            [model(pk=pk, **dict(zip(names, values, strict=True))) for pk, *values in rows],
            list(fields),
            batch_size=BATCH_SIZE,
        )
        return
    quote = connection.ops.quote_name
    model_fields = [meta.get_field(name) for name in fields]
    columns = [quote(f.column) for f in model_fields]
    key = quote(meta.pk.column)
    # A column of NULLs in VALUES is text to PostgreSQL: cast each to its field's type.
    assignments = ", ".join(
        f"{column} = v.{column}::{f.cast_db_type(connection)}"
        for column, f in zip(columns, model_fields, strict=True)
    )
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({key}, {', '.join(columns)}) "
                f"WHERE t.{key} = v.{key}",
                [value for values in batch for value in values],
            )


def _record_in_history(keys, *, key, history_type, user, reason=HISTORY_REASON):
    """Add a history record of each school (by pk or urn), copied by the database itself.

    simple-history builds one Python object per record, which for a national file
    took longer than the rest of the import together; INSERT ... SELECT does not.
    """
    if not keys:
        return
    history = School.history.model
    quote = connection.ops.quote_name
    tracked = [quote(f.column) for f in history.tracked_fields]
    extra = [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_user", "history_change_reason", "history_type")
    ]
    column = quote(School._meta.pk.column if key == "pk" else School._meta.get_field(key).column)
    now = timezone.now()
    with connection.cursor() as cursor:
        for batch in _batches(keys):
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(tracked + extra)}) "
                f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(School._meta.db_table)} "
                f"WHERE {column} IN ({', '.join(['%s'] * len(batch))})",
                [now, user.pk if user else None, reason, history_type, *batch],
            )


@transaction.atomic
def set_causing_concern(
    school: School, *, causing_concern: bool, reason: str = "", since: datetime.date | None = None
) -> School:
    """Flag a school as causing concern (with the reason and the date it began), or clear it.

    Clearing the flag clears the reason and date too, so the record never shows a
    stale reason for a school no longer causing concern.
    """
    school = School.objects.select_for_update().get(pk=school.pk)
    if causing_concern:
        if not reason.strip() or since is None:
            raise ValueError("A school causing concern needs a reason and the date it began")
        school.causing_concern, school.concern_reason, school.concern_since = (
            True,
            reason.strip(),
            since,
        )
    else:
        school.causing_concern, school.concern_reason, school.concern_since = False, "", None
    school.save(update_fields=["causing_concern", "concern_reason", "concern_since"])
    return school


@transaction.atomic
def invite_school_contact(
    school: School,
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by,
    position: str = "",
    is_finance_contact: bool = False,
    is_cpd_lead: bool = False,
    request=None,
) -> SchoolContact:
    """Invite a new school user account that acts for this school, in its role there."""
    position = position.strip()
    user = invite_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.HEADTEACHER,
        invited_by=invited_by,
        request=request,
        job_title=position or SchoolContact.Role(role).label,
    )
    return SchoolContact.objects.create(
        school=school,
        user=user,
        role=role,
        position=position,
        is_finance_contact=is_finance_contact,
        is_cpd_lead=is_cpd_lead,
    )


@transaction.atomic
def add_school_contact(
    school: School,
    *,
    name: str,
    role: str,
    email: str = "",
    position: str = "",
    is_finance_contact: bool = False,
    is_cpd_lead: bool = False,
) -> SchoolContact:
    """Record a contact without a portal account (a chair of governors often has none): known
    by name, written to at the email address given, if any. They cannot sign in."""
    if not name.strip():
        raise ValueError("A contact without a portal account needs a name")
    return SchoolContact.objects.create(
        school=school,
        name=name.strip(),
        email=email.strip().lower(),
        role=role,
        position=position.strip(),
        is_finance_contact=is_finance_contact,
        is_cpd_lead=is_cpd_lead,
    )


@transaction.atomic
def change_school_contact(contact: SchoolContact, **changes) -> SchoolContact:
    """Change a current contact's role, job title and duties (and, for someone without a
    portal account, their name and email). A contact who has left is not changed."""
    contact = (
        SchoolContact.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=contact.pk)
    )
    if contact.has_left:
        raise ValueError("This person has left the school: their record is kept as it was")
    allowed = {"role", "position", "is_finance_contact", "is_cpd_lead"}
    if contact.user is None:
        allowed |= {"name", "email"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    for field_name, value in changes.items():
        setattr(contact, field_name, value.strip() if isinstance(value, str) else value)
    if contact.user is None and not contact.name:
        raise ValueError("A contact without a portal account needs a name")
    contact.email = contact.email.lower()
    contact.save()
    return contact


@transaction.atomic
def mark_contact_left(contact: SchoolContact, *, left_on: datetime.date) -> SchoolContact:
    """Record that a person no longer acts for the school, from `left_on` (today or before).

    The contact is kept, with the date, so the record shows who acted for the school and a
    retention rule can anonymise them later; they stop getting the school's emails, and a
    portal account stops seeing the school at once."""
    contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
    if contact.has_left:
        raise ValueError("This person is already recorded as having left")
    if left_on > timezone.localdate():
        raise ValueError("The date they left must be today or in the past")
    contact.left_on = left_on
    contact.save(update_fields=["left_on"])
    return contact


# What a contact who left is called once the retention period has passed.
NAME_REMOVED = "Former contact (name removed)"


@transaction.atomic
def anonymise_contacts_who_left(*, left_before: datetime.date) -> int:
    """Remove the name and email address recorded for contacts who left the school before
    `left_before`, from the contact and from its history rows (which copy them). Their role
    and dates stay, so the school's record still says a business manager left then; a
    contact with an account has no name here (the account's own rule deals with it)."""
    leaving = SchoolContact.objects.filter(left_on__lt=left_before).exclude(
        name=NAME_REMOVED, email=""
    )
    ids = list(leaving.filter(user__isnull=True).values_list("pk", flat=True))
    ids += list(
        leaving.filter(user__isnull=False).exclude(name="", email="").values_list("pk", flat=True)
    )
    if not ids:
        return 0
    for has_account, name in ((False, NAME_REMOVED), (True, "")):
        SchoolContact.objects.filter(pk__in=ids, user__isnull=has_account is False).update(
            name=name, email=""
        )
        SchoolContact.history.filter(id__in=ids, user__isnull=has_account is False).update(
            name=name, email=""
        )
    return len(ids)


@transaction.atomic
def erase_contact_without_account(contact: SchoolContact) -> SchoolContact:
    """Erase a contact recorded without an account, at their request: they stop acting for
    the school (left today, if they had not left) and their name and email address go from
    the contact and from its history rows, as the retention rule does after the period.
    The role and dates stay, so the record still says a chair of governors served then."""
    contact = SchoolContact.objects.select_for_update().get(pk=contact.pk)
    if contact.left_on is None:
        contact.left_on = timezone.localdate()
        contact.save(update_fields=["left_on"])
    SchoolContact.objects.filter(pk=contact.pk).update(name=NAME_REMOVED, email="")
    SchoolContact.history.filter(id=contact.pk).update(name=NAME_REMOVED, email="")
    contact.refresh_from_db()
    return contact
