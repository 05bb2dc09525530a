"""Payments in from the bank: a finance officer uploads the bank's CSV of receipts, checks
what each line was matched to, and confirms; each line confirmed becomes a payment
through `services.record_payment`, so its rules hold (no more than the balance, not
dated after today, within the financial years open to records).

Reading the file changes nothing on the trading account: its lines are kept on a
BankStatement until they are confirmed. Confirming is one transaction: every payment
chosen, or, if any is refused, none. A line recorded once (BankReceipt, by fingerprint)
shows as "already recorded" in any later upload and is never recorded again, even when
two people confirm the same file at the same moment.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from partnership.models import Partnership
from partnership.money import format_money

from . import bank_file, rules, selectors, services
from .models import BankReceipt, BankStatement, BankStatementLine, Invoice, Payment

BATCH = 500
ALREADY_RECORDED = "recorded"
CANNOT_RECORD = "cannot_record"


class ReceiptError(services.FinanceError):
    """A confirmation refused as a whole; the message names the line and why."""


# --- Reading a file -------------------------------------------------------------------------


@transaction.atomic
def read_statement(uploaded, *, uploaded_by=None) -> BankStatement:
    """Read an uploaded bank file into a BankStatement awaiting its check.

    The file is read a line at a time and its lines are written in batches, so a large
    file is never held in memory. A file that cannot be read raises bank_file.BankFileError
    naming the problem and its line, and leaves nothing behind.
    """
    name = (getattr(uploaded, "name", "") or "bank file")[:255]
    found, receipts = bank_file.read(uploaded, name)
    statement = BankStatement.objects.create(
        file_name=name, columns=found.columns.summary()[:500], uploaded_by=uploaded_by
    )
    batch = []
    for receipt in receipts:
        batch.append(
            BankStatementLine(
                statement=statement,
                line=receipt.line,
                received_on=receipt.received_on,
                amount=receipt.amount,
                description=receipt.description,
                reference=receipt.reference,
                fingerprint=receipt.fingerprint,
            )
        )
        if len(batch) == BATCH:
            BankStatementLine.objects.bulk_create(batch)
            batch = []
    BankStatementLine.objects.bulk_create(batch)
    statement.rows, statement.ignored = found.rows, found.ignored
    statement.save(update_fields=["rows", "ignored"])
    return statement


def recent_statements(limit: int = 10):
    """The latest uploads with how many receipts each held, and for how much."""
    return (
        BankStatement.objects.select_related("uploaded_by")
        .annotate(payments_in=Count("lines"), total=Sum("lines__amount"))
        .order_by("-uploaded_at", "-pk")[:limit]
    )


# --- The check page -------------------------------------------------------------------------


@dataclass
class CheckedLine:
    """A line of money in and what is proposed for it."""

    line: BankStatementLine
    outcome: str  # rules.RECEIPT_* or ALREADY_RECORDED or CANNOT_RECORD
    invoice: Invoice | None = None  # matched, named, or (already recorded) paid
    reason: str = ""
    receipt: BankReceipt | None = None

    @property
    def field_name(self):
        return f"line-{self.line.pk}"


@dataclass
class StatementCheck:
    statement: BankStatement
    lines: list[CheckedLine]
    open_invoices: list[Invoice] = field(default_factory=list)
    prefix: str = "INV"

    def _of(self, *outcomes):
        return [line for line in self.lines if line.outcome in outcomes]

    @property
    def matched(self):
        return self._of(rules.RECEIPT_MATCHED)

    @property
    def amount_differs(self):
        return self._of(rules.RECEIPT_AMOUNT_DIFFERS)

    @property
    def unmatched(self):
        return self._of(rules.RECEIPT_UNMATCHED)

    @property
    def to_allocate(self):
        """Lines a person may allocate by hand: amount differs, then unmatched."""
        return self.amount_differs + self.unmatched

    @property
    def recorded(self):
        return self._of(ALREADY_RECORDED)

    @property
    def cannot_record(self):
        return self._of(CANNOT_RECORD)

    @property
    def total(self) -> Decimal:
        return sum((line.line.amount for line in self.lines), Decimal("0.00"))

    @property
    def matched_total(self) -> Decimal:
        return sum((line.line.amount for line in self.matched), Decimal("0.00"))

    @property
    def recorded_total(self) -> Decimal:
        return sum((line.line.amount for line in self.recorded), Decimal("0.00"))

    def by_line_id(self) -> dict[int, CheckedLine]:
        return {checked.line.pk: checked for checked in self.lines}


def invoice_prefix() -> str:
    partnership = Partnership.current()
    return partnership.invoice_prefix if partnership else "INV"


def open_invoices(today=None) -> list[Invoice]:
    """Invoices with something left to pay, by number, with their school and balance."""
    return list(selectors.invoices_with_status(today).filter(balance__gt=0).order_by("number"))


def check_statement(statement: BankStatement, today: datetime.date | None = None):
    """Each line of the statement: already recorded, matched, amount differs or unmatched
    (rules.match_receipt), or a date no payment may carry. A fixed number of queries
    however many lines the file has."""
    today = today or timezone.localdate()
    prefix = invoice_prefix()
    lines = list(statement.lines.order_by("line"))
    receipts = {
        receipt.fingerprint: receipt
        for receipt in BankReceipt.objects.filter(
            fingerprint__in=[line.fingerprint for line in lines]
        ).select_related("payment__invoice", "recorded_by")
    }
    unpaid = open_invoices(today)
    invoices = {invoice.number: invoice for invoice in unpaid}
    # Numbers named in the text of invoices already paid or credited: to say so, not to match.
    named = {
        number
        for line in lines
        if line.fingerprint not in receipts
        for number in rules.invoice_numbers_in(line.text, prefix)
    } - invoices.keys()
    if named:
        for invoice in selectors.invoices_with_status(today).filter(number__in=named):
            invoices[invoice.number] = invoice
    by_order = rules.orders_index(unpaid)
    checked = []
    for line in lines:
        receipt = receipts.get(line.fingerprint)
        if receipt is not None:
            checked.append(
                CheckedLine(line, ALREADY_RECORDED, receipt.payment.invoice, receipt=receipt)
            )
            continue
        problem = rules.financial_date_problem(
            line.received_on, today, "The date received"
        ) or rules.received_on_problem(line.received_on, today)
        if problem:
            checked.append(CheckedLine(line, CANNOT_RECORD, reason=problem))
            continue
        match = rules.match_receipt(
            text=line.text, amount=line.amount, invoices=invoices, by_order=by_order, prefix=prefix
        )
        checked.append(CheckedLine(line, match.outcome, match.invoice, match.reason))
    return StatementCheck(statement, checked, unpaid, prefix)


# --- Confirming -----------------------------------------------------------------------------


@dataclass
class Recorded:
    payments: list[Payment]
    already: list[BankStatementLine]

    @property
    def total(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal("0.00"))


def _describe(line: BankStatementLine, invoice: Invoice) -> str:
    return (
        f"Line {line.line} ({format_money(line.amount)} on {line.received_on:%d/%m/%Y}, "
        f"to {invoice.number})"
    )


@transaction.atomic
def record_receipts(
    *, statement: BankStatement, allocations: dict[int, Invoice], recorded_by=None
) -> Recorded:
    """Record the chosen lines of a statement (line id → invoice) as payments by bank
    transfer, each with the BankReceipt that stops it being recorded twice.

    All or nothing: a payment record_payment refuses (more than the balance, say) raises
    ReceiptError naming the line, and nothing of the confirmation is kept. Lines recorded
    already, from this upload or another of the same file, are passed over and listed.

    Two confirmations at once: the invoices are locked first, in one order, so two that
    pay the same invoices queue (and never deadlock) and the second finds the lines
    recorded; a line the two give to different invoices is still recorded once, by the
    unique fingerprint, the later insert waiting for the earlier and then standing aside.
    """
    lines = list(statement.lines.filter(pk__in=list(allocations)).order_by("line"))
    invoice_ids = sorted({allocations[line.pk].pk for line in lines})
    locked = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update().filter(pk__in=invoice_ids).order_by("pk")
    }
    recorded_already = set(
        BankReceipt.objects.filter(
            fingerprint__in=[line.fingerprint for line in lines]
        ).values_list("fingerprint", flat=True)
    )
    payments, already = [], []
    for line in lines:
        if line.fingerprint in recorded_already:
            already.append(line)
            continue
        invoice = locked[allocations[line.pk].pk]
        try:
            with transaction.atomic():
                payment = services.record_payment(
                    invoice=invoice,
                    amount=line.amount,
                    received_on=line.received_on,
                    method=Payment.Method.BACS,
                    reference=line.text[:100],
                    recorded_by=recorded_by,
                )
                BankReceipt.objects.create(
                    fingerprint=line.fingerprint,
                    payment=payment,
                    statement=statement,
                    line=line.line,
                    received_on=line.received_on,
                    amount=line.amount,
                    text=line.text,
                    recorded_by=recorded_by,
                )
        except services.FinanceError as exc:
            raise ReceiptError(
                f"{_describe(line, invoice)}: {exc}. Nothing was recorded: change or leave "
                "that line and confirm again"
            ) from exc
        except IntegrityError:
            # Another confirmation recorded this line while this one ran.
            if not BankReceipt.objects.filter(fingerprint=line.fingerprint).exists():
                raise
            already.append(line)
            continue
        payments.append(payment)
    return Recorded(payments, already)


def remove_payer_names(*, uploaded_before) -> int:
    """Remove the description (the payer's name, as the bank gives it) from the lines of
    bank files uploaded before this date.

    The date, amount and reference stay, and so does each line's fingerprint, so a file
    uploaded again is still known. A line recorded as a payment has its own copy on the
    payment and its bank receipt, financial records kept for the council's six years and
    never edited. Running it again changes nothing.
    """
    return (
        BankStatementLine.objects.filter(statement__uploaded_at__lt=uploaded_before)
        .exclude(description="")
        .update(description="")
    )
