"""How budget lines, invoices, credit notes, payments, ledger entries and invoice emails
appear in an audit trail (see partnership.history), and an invoice's own history."""

from django.db.models import Q
from django.urls import reverse

from partnership import history
from partnership.history import Audited
from partnership.money import format_money
from partnership.words import long_date

from .models import (
    BankReceipt,
    BudgetLine,
    CreditNote,
    ExportBatch,
    Invoice,
    InvoiceEmail,
    LedgerEntry,
    LedgerLayout,
    Payment,
    Plan,
    PlanLine,
    PlanYear,
)


def _invoice_page(invoice_id):
    return reverse("finance:invoice", args=[invoice_id]) if invoice_id else None


def _ledger_entry_page(entry):
    """The invoice an entry records, where it records one (journals have no page)."""
    if entry.invoice_line_id and entry.invoice_line is not None:
        return _invoice_page(entry.invoice_line.invoice_id)
    if entry.credit_note_line_id and entry.credit_note_line is not None:
        return _invoice_page(entry.credit_note_line.credit_note.invoice_id)
    return None


def _ledger_entry_written(entry):
    said = (
        f"{entry.get_entry_type_display()}: {entry.get_side_display().lower()} "
        f"{format_money(entry.amount)} on {long_date(entry.entry_date)}"
    )
    return f"{said}. Reason: {entry.reason}" if entry.reason else said


def _payment_received(payment):
    said = f"Received {long_date(payment.received_on)} by {payment.get_method_display()}"
    return f"{said}, reference {payment.reference}" if payment.reference else said


BUDGET_LINE = Audited(
    key="budget_line",
    label="Budget line",
    model=BudgetLine,
    name=lambda line: f"{line.name} ({line.budget_year})",
    search=("code", "name"),
    url=lambda line: reverse("finance:budget_line", args=[line.id]),
)
INVOICE = Audited(
    key="invoice",
    label="Invoice",
    model=Invoice,
    name=lambda invoice: invoice.number,
    search=("number", "bill_to", "school__name"),
    url=lambda invoice: _invoice_page(invoice.id),
    created=lambda invoice: (
        f"Issued to {invoice.bill_to} for {format_money(invoice.gross_total)}, "
        f"due {long_date(invoice.due_date)}"
    ),
)
CREDIT_NOTE = Audited(
    key="credit_note",
    label="Credit note",
    model=CreditNote,
    name=lambda note: f"{note.number} against {note.invoice.number}",
    search=("number", "invoice__number"),
    url=lambda note: _invoice_page(note.invoice_id),
    created=lambda note: f"{format_money(note.gross_total)} credited: {note.reason}",
)
PAYMENT = Audited(
    key="payment",
    label="Payment",
    model=Payment,
    name=lambda payment: f"{format_money(payment.amount)} against {payment.invoice.number}",
    search=("invoice__number", "reference"),
    url=lambda payment: _invoice_page(payment.invoice_id),
    created=_payment_received,
)
LEDGER_ENTRY = Audited(
    key="ledger_entry",
    label="Ledger entry",
    model=LedgerEntry,
    name=lambda entry: entry.description,
    search=("description", "reference"),
    url=_ledger_entry_page,
    created=_ledger_entry_written,
    related=("credit_note_line__credit_note",),
)
INVOICE_EMAIL = Audited(
    key="invoice_email",
    label="Invoice email",
    model=InvoiceEmail,
    name=lambda email: f"{email.invoice.number} emailed",
    search=("invoice__number", "sent_to"),
    url=lambda email: _invoice_page(email.invoice_id),
    created=lambda email: f"Sent to {email.sent_to}",
)

BANK_RECEIPT = Audited(
    key="bank_receipt",
    label="Bank receipt",
    model=BankReceipt,
    name=lambda receipt: (
        f"Bank line {receipt.line}: {format_money(receipt.amount)} on "
        f"{long_date(receipt.received_on)}"
    ),
    search=("text", "payment__invoice__number"),
    url=lambda receipt: reverse("finance:bank_statement", args=[receipt.statement_id]),
    created=lambda receipt: f"Recorded as a payment from the bank file: {receipt.text}",
)

EXPORT_BATCH = Audited(
    key="export_batch",
    label="Ledger export batch",
    model=ExportBatch,
    name=lambda batch: f"Export batch {batch.number}",
    search=("file_name",),
    url=lambda batch: reverse("finance:ledger_batch", args=[batch.number]),
    created=lambda batch: (
        f"Exported the entries up to {batch.up_to:%d/%m/%Y}: {batch.entry_count} entries, "
        f"debits {format_money(batch.debit_total)}, credits {format_money(batch.credit_total)}"
    ),
)


def _columns(columns) -> str:
    return ", ".join(
        f"{column['heading']} ({column.get('field') or repr(column.get('value', ''))})"
        for column in columns or []
    )


def _codes(accounts) -> str:
    written = "; ".join(
        f"{kind}: " + ", ".join(f"{name} {code}" for name, code in codes.items())
        for kind, codes in (accounts or {}).items()
    )
    return written or "none"


# The partnership file's `ledger:` section: what decides the file the council imports.
LEDGER_LAYOUT = Audited(
    key="ledger_layout",
    label="Ledger export layout",
    model=LedgerLayout,
    name=lambda layout: "Ledger export layout",
    url=lambda layout: reverse("finance:ledger_batches"),
    labels={"accounts": "Codes by kind of entry", "credits": "Sign of credits"},
    formats={"columns": _columns, "accounts": _codes},
)
PLAN = Audited(
    key="plan",
    label="Three-year plan",
    model=Plan,
    name=lambda plan: plan.name,
    search=("name",),
    url=lambda plan: reverse("finance:plan", args=[plan.id]),
)
PLAN_YEAR = Audited(
    key="plan_year",
    label="Three-year plan: year",
    model=PlanYear,
    name=lambda year: f"{year.plan.name}: year {year.number}",
    search=("plan__name",),
    url=lambda year: reverse("finance:plan", args=[year.plan_id]),
    labels={"la_contribution": "LA contribution"},
)
PLAN_LINE = Audited(
    key="plan_line",
    label="Three-year plan: budget line",
    model=PlanLine,
    name=lambda line: f"{line.plan.name}: {line.name}",
    search=("plan__name", "name"),
    url=lambda line: reverse("finance:plan", args=[line.plan_id]),
)

AUDITED = (
    BUDGET_LINE,
    PLAN,
    PLAN_YEAR,
    PLAN_LINE,
    INVOICE,
    CREDIT_NOTE,
    PAYMENT,
    BANK_RECEIPT,
    LEDGER_ENTRY,
    EXPORT_BATCH,
    LEDGER_LAYOUT,
    INVOICE_EMAIL,
)


def invoice_history(invoice) -> list[history.Entry]:
    """The invoice's issue, its credit notes, payments and email, newest first."""
    scoped = {
        INVOICE: Q(id=invoice.pk),
        CREDIT_NOTE: Q(invoice_id=invoice.pk),
        PAYMENT: Q(invoice_id=invoice.pk),
        INVOICE_EMAIL: Q(invoice_id=invoice.pk),
    }
    rows = history.union(
        [history.history_rows(kind, where=where) for kind, where in scoped.items()]
    )
    return history.entries(rows, {kind.key: kind for kind in scoped})
