"""Export batches: the ledger entries not yet sent to the council's finance system, as one
file, once (docs/finance.md "Export batches").

A finance officer exports the entries dated up to a day that no batch holds yet. The
batch keeps the file exactly as it was first written, so it can be downloaded again (the
same bytes), and every entry in it names it, so none goes out twice. An entry is never
edited after it goes out: a correction is a reversal and a re-post (`repost_entry`),
new entries that go out in the next batch.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, DecimalField, F, Max, Min, Q, Sum, Value, When
from django.utils import timezone

from partnership.money import money

from . import rules
from .accounts import codes_for
from .ledger_layout import Line, render, signed_amount, totals
from .models import DocumentSequence, ExportBatch, LedgerEntry
from .selectors import current_layout
from .services import FinanceError, next_number, reverse_entry

ZERO = Decimal("0.00")
ALL_YEARS = "all"  # the batch numbers' one sequence (DocumentSequence.financial_year)
MONEY_OUTPUT = DecimalField(max_digits=14, decimal_places=2)
CREDIT = Q(side=LedgerEntry.Side.INCOME, amount__gt=0) | Q(
    side=LedgerEntry.Side.EXPENDITURE, amount__lt=0
)


class NothingToExport(FinanceError):
    """No entry up to the day is waiting: an empty batch is never made."""


@dataclass(frozen=True)
class Waiting:
    """What a batch up to a day would hold, for the check page."""

    up_to: datetime.date
    count: int
    debits: Decimal
    credits: Decimal
    first_on: datetime.date | None
    last_on: datetime.date | None

    @property
    def fingerprint(self) -> str:
        """What the officer checked: confirming exports only exactly this."""
        return f"{self.count}:{self.debits}:{self.credits}"


def not_yet_exported(up_to: datetime.date):
    return LedgerEntry.objects.filter(export_batch__isnull=True, entry_date__lte=up_to)


def waiting(up_to: datetime.date) -> Waiting:
    """The count and the debit and credit totals of the entries a batch would take, in one
    query (the database adds them up, however many there are)."""
    figures = not_yet_exported(up_to).aggregate(
        count=Count("pk"),
        credits=Sum(
            Case(
                When(CREDIT & Q(side=LedgerEntry.Side.INCOME), then=F("amount")),
                When(CREDIT, then=-F("amount")),
                default=Value(ZERO),
                output_field=MONEY_OUTPUT,
            )
        ),
        debits=Sum(
            Case(
                When(~CREDIT & Q(side=LedgerEntry.Side.INCOME), then=-F("amount")),
                When(~CREDIT, then=F("amount")),
                default=Value(ZERO),
                output_field=MONEY_OUTPUT,
            )
        ),
        first_on=Min("entry_date"),
        last_on=Max("entry_date"),
    )
    return Waiting(
        up_to=up_to,
        count=figures["count"],
        debits=money(figures["debits"] or 0),
        credits=money(figures["credits"] or 0),
        first_on=figures["first_on"],
        last_on=figures["last_on"],
    )


def lines_for(entries, accounts: dict) -> list[Line]:
    return [
        Line(
            date=entry.entry_date,
            financial_year=entry.financial_year,
            codes=codes_for(entry, accounts),
            description=entry.description,
            signed=signed_amount(entry.side, entry.amount),
            reference=entry.reference or entry.source_key,
        )
        for entry in entries
    ]


def up_to_problem(up_to: datetime.date) -> str:
    if up_to > timezone.localdate():
        return (
            "The date must be today or earlier: entries for days still to come go out "
            "once those days have come"
        )
    return ""


def batch_file_name(batch_number: int, up_to: datetime.date, copy=False) -> str:
    return f"ledger-batch-{batch_number:05d}-to-{up_to.isoformat()}{'-copy' if copy else ''}.csv"


@transaction.atomic
def export_batch(
    *, up_to: datetime.date, exported_by=None, checked: str | None = None
) -> ExportBatch:
    """Export every ledger entry dated on or before `up_to` that no batch holds yet, as the
    next numbered batch, in the partnership file's layout.

    Refused, with nothing written: a date still to come; no entry waiting (an empty batch
    is never made); `checked` (what the officer saw on the check page) no longer what is
    waiting. Two officers exporting at once queue on the batch numbering's lock, so the
    second finds the first's entries taken; the database refuses an entry a second batch.
    """
    problem = up_to_problem(up_to)
    if problem:
        raise FinanceError(problem)
    number = next_number(DocumentSequence.Kind.LEDGER_BATCH, ALL_YEARS)
    entries = list(
        not_yet_exported(up_to)
        .select_for_update(of=("self",))
        .select_related("budget_line", "reverses__budget_line")
        .order_by("entry_date", "pk")
    )
    if not entries:
        raise NothingToExport(
            f"There are no entries up to {up_to:%-d %B %Y} that have not been exported: "
            "no batch was made"
        )
    layout, accounts = current_layout()
    lines = lines_for(entries, accounts)
    debits, credits = totals(lines)
    if checked is not None and checked != f"{len(entries)}:{debits}:{credits}":
        raise FinanceError(
            "The entries waiting to be exported changed after you checked them (another "
            "export or a new entry): check them again. Nothing was exported"
        )
    content = render(lines, layout, number)
    batch = ExportBatch.objects.create(
        number=number,
        up_to=up_to,
        first_entry_on=entries[0].entry_date,
        last_entry_on=entries[-1].entry_date,
        entry_count=len(entries),
        debit_total=debits,
        credit_total=credits,
        file_name=batch_file_name(number, up_to),
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        exported_by=exported_by,
    )
    marked = LedgerEntry.objects.filter(pk__in=[entry.pk for entry in entries]).mark_exported(batch)
    if marked != len(entries):  # the lock makes this unreachable; the rollback keeps it safe
        raise FinanceError("Some of the entries were exported meanwhile: nothing was exported")
    return batch


def batch_download(batch: ExportBatch) -> tuple[bytes, str]:
    """The batch's file again, byte for byte, named as a copy so it is never taken for a
    new export."""
    content = batch.content_bytes
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        raise FinanceError(f"Export batch {batch.number}'s stored file does not match its checksum")
    return content, batch_file_name(batch.number, batch.up_to, copy=True)


@transaction.atomic
def repost_entry(
    *,
    entry: LedgerEntry,
    reason: str,
    entry_date: datetime.date,
    amount,
    description: str,
    entered_by=None,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Correct a ledger entry: reverse it and post it again as it should have been.

    The entry itself never changes (it may have gone to the council already): the
    reversal and the re-post are new entries, not yet exported, so they go out in the
    next batch. The re-post keeps the entry's kind, side, school and budget line, so it
    posts to the same codes, with the corrected amount and description.
    """
    amount = money(amount)
    if amount == 0:
        raise FinanceError(
            "The corrected amount must be other than £0.00: to cancel it, reverse it"
        )
    problem = rules.amount_problem(amount, "The corrected amount", allow_negative=True)
    if problem:
        raise FinanceError(problem)
    if not (description or "").strip():
        raise FinanceError("Enter the corrected description")
    reversal = reverse_entry(
        entry=entry, reason=reason, entry_date=entry_date, entered_by=entered_by
    )
    repost = LedgerEntry.objects.create(
        side=entry.side,
        entry_type=entry.entry_type,
        entry_date=entry_date,
        amount=amount,
        description=description.strip()[:300],
        reference=entry.reference,
        income_account=entry.income_account,
        school=entry.school,
        budget_line=entry.budget_line,
        reposts=entry,
        reason=reason.strip(),
        entered_by=entered_by,
    )
    return reversal, repost
