"""Writes to the register of schools: GIAS import, causing-concern flag, school contacts."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from partnership.roles import Role
from partnership.services import invite_user

from . import gias
from .gias import GiasFileError, Rejection
from .models import GiasImport, PupilCount, School, SchoolContact, gias_import_progress_key
from .rules import school_status

__all__ = [
    "GiasFileError",
    "ImportReport",
    "finish_gias_import",
    "import_gias",
    "queue_gias_import",
    "report_import_progress",
    "invite_school_contact",
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
)
DERIVED_FIELDS = ("category", "governance", "status")
SYNCED_FIELDS = GIAS_FIELDS + DERIVED_FIELDS
BATCH_SIZE = 1000
# Any fixed number naming "the GIAS import" among PostgreSQL advisory locks.
IMPORT_LOCK_KEY = 31200001
PROGRESS_SECONDS = 24 * 60 * 60


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    census_date: datetime.date | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )

    def lines(self) -> list[str]:
        """The summary then one line per rejected row, as the command prints them."""
        return [self.summary(), *(str(rejection) for rejection in self.rejections)]


def read_bytes(file) -> bytes:
    """The content of bytes, a path, or an open (uploaded) file."""
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


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
    With a census date, each row's NumberOfPupils is recorded as the count at that
    date (replacing a count already held for the same date; a blank records nothing),
    and a school whose count is added or changed counts as updated. Rejected rows are
    reported and the rest imported, all in one transaction. A file that cannot be
    read at all raises GiasFileError before anything is written.

    on_progress(done, total, message), when given, hears of the work in rows of the
    file: once the file is read, once the rows are compared with the register (the
    unchanged ones are then done), and after each batch of schools written.
    """
    parsed = gias.parse(read_bytes(file), la_codes=la_codes)
    total = len(parsed.rows)
    progress = on_progress or (lambda done, total, message: None)
    progress(0, total, f"Read the file: {total} schools to compare with the register")
    report = ImportReport(
        rejections=parsed.rejections, skipped=parsed.skipped, census_date=census_date
    )
    source = source[: PupilCount._meta.get_field("source").max_length]
    history = {"default_user": imported_by, "default_change_reason": "GIAS import"}

    with transaction.atomic():
        _one_import_at_a_time()
        existing = School.objects.in_bulk([row.urn for row in parsed.rows], field_name="urn")
        # Every count at this census, in one query rather than one per school.
        counts = (
            {count.school_id: count for count in PupilCount.objects.filter(census_date=census_date)}
            if census_date and existing
            else {}
        )
        to_create, to_update = [], []
        new_counts, changed_counts = [], []
        created_pupils = []

        for row in parsed.rows:
            school = existing.get(row.urn)
            if school is None:
                school = School(urn=row.urn)
                _apply(school, row)
                to_create.append(school)
                if census_date and row.pupils is not None:
                    created_pupils.append((school, row.pupils))
                continue

            record_changed = _apply(school, row)
            count_changed = False
            if census_date and row.pupils is not None:
                count = counts.get(school.pk)
                if count is None:
                    new_counts.append(
                        PupilCount(
                            school=school, census_date=census_date, pupils=row.pupils, source=source
                        )
                    )
                    count_changed = True
                elif count.pupils != row.pupils:
                    count.pupils, count.source = row.pupils, source
                    changed_counts.append(count)
                    count_changed = True
            if record_changed:
                to_update.append(school)
            if record_changed or count_changed:
                report.updated += 1
            else:
                report.unchanged += 1

        done = report.unchanged
        progress(done, total, f"Writing {len(to_create)} new and {len(to_update)} changed schools")
        for start in range(0, len(to_create), BATCH_SIZE):
            batch = to_create[start : start + BATCH_SIZE]
            bulk_create_with_history(batch, School, batch_size=BATCH_SIZE, **history)
            done += len(batch)
            progress(done, total, f"Created {start + len(batch)} of {len(to_create)} new schools")
        if to_create:
            report.created = len(to_create)
            new_counts.extend(
                PupilCount(school=school, census_date=census_date, pupils=pupils, source=source)
                for school, pupils in created_pupils
            )
        for start in range(0, len(to_update), BATCH_SIZE):
            batch = to_update[start : start + BATCH_SIZE]
            _bulk_update(School, batch, SYNCED_FIELDS)
            _record_updates_in_history(batch, user=imported_by, reason="GIAS import")
            done += len(batch)
            progress(
                done, total, f"Updated {start + len(batch)} of {len(to_update)} changed schools"
            )
        if new_counts or changed_counts:
            progress(done, total, "Recording pupil numbers")
        PupilCount.objects.bulk_create(new_counts, batch_size=BATCH_SIZE)
        _bulk_update(PupilCount, changed_counts, ("pupils", "source"))
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
        message=report.summary(),
    )


def report_import_progress(import_id: int, done: int, total: int, message: str):
    """Progress goes to the cache, not the import's row: the import is one transaction,
    and what it writes to the database is invisible to the page until it commits."""
    cache.set(
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


def _bulk_update(model, objs, fields):
    """Write these fields of many rows in few statements.

    Django's bulk_update builds a CASE per field over every row of a batch, which
    PostgreSQL evaluates row by row: 50,000 changed schools took minutes. There,
    one UPDATE ... FROM (VALUES ...) per batch joins on the key instead.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, list(fields), batch_size=BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [quote(meta.get_field(name).column) for name in fields]
    key = quote(meta.pk.column)
    assignments = ", ".join(f"{column} = v.{column}" for column in columns)
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE):
            batch = objs[start : start + BATCH_SIZE]
            params = [
                value for obj in batch for value in (obj.pk, *(getattr(obj, f) for f in fields))
            ]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({key}, {', '.join(columns)}) "
                f"WHERE t.{key} = v.{key}",
                params,
            )


def _record_updates_in_history(schools, *, user, reason):
    """Add a history record of each updated school, copied by the database itself.

    simple-history builds one Python object per record, which for a national file
    took longer than the rest of the import together; INSERT ... SELECT does not.
    """
    history = School.history.model
    quote = connection.ops.quote_name
    tracked = [quote(field.column) for field in history.tracked_fields]
    extra = [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_user", "history_change_reason", "history_type")
    ]
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(schools), BATCH_SIZE):
            keys = [school.pk for school in schools[start : start + BATCH_SIZE]]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(tracked + extra)}) "
                f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM {quote(School._meta.db_table)} "
                f"WHERE {quote(School._meta.pk.column)} IN ({', '.join(['%s'] * len(keys))})",
                [now, user.pk if user else None, reason, "~", *keys],
            )


def _apply(school: School, row: gias.GiasRow) -> bool:
    """Copy a GIAS row onto a school and derive its classification; True when anything changed."""
    before = {name: getattr(school, name) for name in SYNCED_FIELDS}
    for name in GIAS_FIELDS:
        setattr(school, name, getattr(row, name))
    school.derive_classification()
    school.status = school_status(school.gias_status)
    return any(getattr(school, name) != value for name, value in before.items())


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
    position: str,
    invited_by,
    request=None,
) -> SchoolContact:
    """Invite a new headteacher or business manager account that acts for this school."""
    user = invite_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.HEADTEACHER,
        invited_by=invited_by,
        request=request,
        job_title=position,
    )
    return SchoolContact.objects.create(school=school, user=user, position=position)
