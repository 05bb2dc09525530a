"""Writes to the trading account: invoices, credit notes, payments, ledger entries, runs.

Every function that writes runs in one transaction; numbers are allocated inside the
issuing transaction from a locked per-year sequence row, so a failed issue leaves no gap.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from partnership.calendars import AcademicYear, FinancialYear, first_of_month
from partnership.models import Partnership
from partnership.money import money
from partnership.words import count_of

from . import rules
from .accounts import account_for
from .models import (
    BudgetLine,
    CreditNote,
    CreditNoteLine,
    DocumentSequence,
    HomeSchoolPayment,
    Invoice,
    InvoiceLine,
    Job,
    LedgerEntry,
    Payment,
    job_progress_key,
)

Progress = Callable[[int, int, str], None]
PROGRESS_SECONDS = 24 * 60 * 60


class FinanceError(ValueError):
    """A request the trading account must refuse, with a message for the person who made it."""


@dataclass(frozen=True)
class ChargeLine:
    """A line to put on an invoice: what, how many, at what price, earned when."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    source: str
    income_account: str
    recognise_from: datetime.date
    recognise_to: datetime.date
    vat_rate: Decimal | None = None
    # The school a line is for when the invoice is not (support the LA commissioned): its
    # income is then recorded against that school in the ledger.
    for_school: object = None
    # The school's purchase order for what this line bills (a booking's), printed beside it.
    purchase_order: str = ""


def _check_financial_date(day: datetime.date, field: str):
    """Refuse a financial record dated outside this financial year and the one either side,
    whoever asks (a form, a management command, a task), not only the forms."""
    problem = rules.financial_date_problem(day, timezone.localdate(), field)
    if problem:
        raise FinanceError(problem)


def _partnership_settings():
    partnership = Partnership.current()
    if partnership is None:
        return {
            "vat_rate": Decimal("0"),
            "invoice": "INV",
            "credit_note": "CN",
            "terms": 30,
            "legal_form": Partnership.LegalForm.LA_TRADING_ACCOUNT,
            "la": "The local authority",
        }
    return {
        "legal_form": partnership.legal_form,
        "la": f"{partnership.la_name} Council",
        "vat_rate": partnership.vat_rate,
        "invoice": partnership.invoice_prefix,
        "credit_note": partnership.credit_note_prefix,
        "terms": partnership.payment_terms_days,
    }


def next_number(kind: str, financial_year: str) -> int:
    """The next number in a year's sequence. Call inside the issuing transaction.

    The sequence row is locked until that transaction ends: a concurrent run waits,
    then reads the number this one used. A rolled-back issue gives its number back.
    """
    DocumentSequence.objects.get_or_create(kind=kind, financial_year=financial_year)
    sequence = DocumentSequence.objects.select_for_update().get(
        kind=kind, financial_year=financial_year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def budget_line_for(key: str, on: datetime.date, code: str = ""):
    """The budget line an entry of this kind on this date counts towards: the line named
    `code` (an offer's cost line) or else the one FINANCE_ACCOUNTS names for the kind, in
    the partnership year that covers the date."""
    code = code or account_for(key).get("budget_line")
    if not code:
        return None
    return BudgetLine.objects.filter(code=code, starts_on__lte=on, ends_on__gte=on).first()


def _ledger_for_invoice_line(line: InvoiceLine, school):
    """Income earned by month over the line's period (membership: the academic year).

    The months are written in one insert, with their history naming who issued the
    invoice: an annual run writes twelve entries for each of hundreds of invoices.
    """
    parts = rules.apportion_by_month(line.net, line.recognise_from, line.recognise_to)
    budget_line = budget_line_for(line.income_account, line.recognise_from)
    entries = []
    for month, amount in parts:
        entry_date = max(month, line.recognise_from)
        year = str(FinancialYear.containing(entry_date))
        entries.append(
            LedgerEntry(
                side=LedgerEntry.Side.INCOME,
                entry_type=LedgerEntry.EntryType.INVOICE_LINE,
                entry_date=entry_date,
                financial_year=year,
                amount=amount,
                description=line.description,
                reference=line.invoice.number,
                source_key=f"invoice-line:{line.pk}:{month:%Y-%m}",
                income_account=line.income_account,
                school=school,
                budget_line=budget_line,
                invoice_line=line,
            )
        )
    bulk_create_with_history(entries, LedgerEntry, default_user=line.invoice.issued_by)


def _ledger_for_credit_line(credit_line, line: InvoiceLine, note, school, reason, credit_from=None):
    """Income taken back in the months the credited line earns it from the credit note on.

    The credit is spread, pro rata, over what is left of the line's period from the credit
    note's month (all of it when the period has not begun), so a membership credited in
    January gives back January to August, across the financial year end as its income was
    earned; a credit after the period has ended goes in the credit note's own month. A
    credit for the months from a given day (a school's conversion) is taken back in those
    months, whenever it is issued, as the charge that replaces it earns in them.
    """
    issued = note.issue_date
    if credit_from is not None:
        start, end = max(credit_from, line.recognise_from), line.recognise_to
    elif issued > line.recognise_to:
        start = end = issued
    else:
        start, end = max(issued, line.recognise_from), line.recognise_to
    parts = rules.apportion_by_month(-credit_line.net, start, end)
    budget_line = budget_line_for(line.income_account, line.recognise_from)
    entries = [
        LedgerEntry(
            side=LedgerEntry.Side.INCOME,
            entry_type=LedgerEntry.EntryType.CREDIT_NOTE_LINE,
            entry_date=max(month, start),
            financial_year=str(FinancialYear.containing(max(month, start))),
            amount=amount,
            description=f"Credit: {line.description}"[:300],
            reference=note.number,
            source_key=(
                f"credit-note-line:{credit_line.pk}"
                if len(parts) == 1
                else f"credit-note-line:{credit_line.pk}:{month:%Y-%m}"
            ),
            income_account=line.income_account,
            school=school,
            budget_line=budget_line,
            credit_note_line=credit_line,
            entered_by=note.issued_by,
            reason=reason,
        )
        for month, amount in parts
    ]
    bulk_create_with_history(entries, LedgerEntry, default_user=note.issued_by)


@transaction.atomic
def issue_invoice(
    *,
    school,
    lines: list[ChargeLine],
    issue_date: datetime.date,
    purchase_order: str = "",
    job: Job | None = None,
    issued_by=None,
) -> Invoice:
    """Issue an invoice to a school, or with `school` None to the LA (for support it
    commissioned), numbered in the issue date's financial year.

    How it is billed (internal recharge or external invoice) follows the partnership's
    legal form and who is billed (rules.billing_for). VAT per line defaults to the
    partnership's rate. Each line's income goes to the ledger in the months it is earned.
    """
    if not lines:
        raise FinanceError("An invoice needs at least one line")
    _check_financial_date(issue_date, "The issue date")
    config = _partnership_settings()
    year = str(FinancialYear.containing(issue_date))
    amounts = []
    for charge in lines:
        if charge.quantity <= 0:
            raise FinanceError(f"{charge.description}: quantity must be more than zero")
        if charge.unit_price < 0:
            raise FinanceError(f"{charge.description}: price must not be negative")
        rate = config["vat_rate"] if charge.vat_rate is None else charge.vat_rate
        amounts.append((charge, rate, rules.line_amounts(charge.quantity, charge.unit_price, rate)))
    problem = rules.amount_problem(sum(a.gross for _, _, a in amounts), "The invoice's total")
    if problem:
        raise FinanceError(problem)
    sequence = next_number(DocumentSequence.Kind.INVOICE, year)
    invoice = Invoice.objects.create(
        number=f"{config['invoice']}-{year}-{sequence:05d}",
        financial_year=year,
        sequence=sequence,
        school=school,
        bill_to=school.name if school is not None else config["la"],
        billing=rules.billing_for(config["legal_form"], school),
        purchase_order=purchase_order or "",
        issue_date=issue_date,
        due_date=rules.due_date(issue_date, config["terms"]),
        net_total=sum((a.net for _, _, a in amounts), Decimal("0.00")),
        vat_total=sum((a.vat for _, _, a in amounts), Decimal("0.00")),
        gross_total=sum((a.gross for _, _, a in amounts), Decimal("0.00")),
        job=job,
        issued_by=issued_by,
    )
    for position, (charge, rate, amount) in enumerate(amounts, start=1):
        line = InvoiceLine.objects.create(
            invoice=invoice,
            position=position,
            description=charge.description,
            quantity=charge.quantity,
            unit_price=charge.unit_price,
            vat_rate=rate,
            net=amount.net,
            vat=amount.vat,
            gross=amount.gross,
            source=charge.source,
            purchase_order=(charge.purchase_order or "")[:50],
            income_account=charge.income_account,
            recognise_from=charge.recognise_from,
            recognise_to=charge.recognise_to,
        )
        _ledger_for_invoice_line(line, charge.for_school or school)
    return invoice


def _lock_invoice(invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def credited_net_by_line(invoice) -> dict[int, Decimal]:
    rows = (
        CreditNoteLine.objects.filter(invoice_line__invoice=invoice)
        .values("invoice_line")
        .annotate(total=Sum("net"))
    )
    return {row["invoice_line"]: row["total"] for row in rows}


def invoice_balance(invoice) -> Decimal:
    credited = invoice.credit_notes.aggregate(total=Sum("gross_total"))["total"] or Decimal("0")
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return invoice.gross_total - credited - paid


@dataclass(frozen=True)
class CreditNoteFigures:
    """What a credit note would credit, worked out before it is issued (the check page) and
    again, under the invoice's lock, when it is."""

    financial_year: str
    lines: list  # (invoice line, net, VAT)

    @property
    def net(self):
        return sum((net for _, net, _ in self.lines), Decimal("0.00"))

    @property
    def vat(self):
        return sum((vat for _, _, vat in self.lines), Decimal("0.00"))

    @property
    def gross(self):
        return self.net + self.vat


def credit_note_figures(*, invoice, amounts: dict, issue_date: datetime.date) -> CreditNoteFigures:
    """The lines and totals of a credit note for these net amounts, or FinanceError naming
    what is wrong: a line cannot be credited beyond what is left of it; VAT at its rate."""
    _check_financial_date(issue_date, "The issue date")
    lines = {line.pk: line for line in invoice.lines.all()}
    already = credited_net_by_line(invoice)
    wanted = []
    for line_id, value in amounts.items():
        amount = money(value)
        if amount == 0:
            continue
        line = lines.get(int(line_id))
        if line is None:
            raise FinanceError("A credit note can only credit lines of its own invoice")
        if amount < 0:
            raise FinanceError(f"Line {line.position}: the amount to credit must not be negative")
        left = line.net - already.get(line.pk, Decimal("0"))
        if amount > left:
            raise FinanceError(
                f"Line {line.position}: you can credit at most £{left:,.2f} "
                "(the rest is already credited)"
            )
        wanted.append((line, amount, money(amount * line.vat_rate / 100)))
    if not wanted:
        raise FinanceError("Enter an amount to credit on at least one line")
    return CreditNoteFigures(str(FinancialYear.containing(issue_date)), wanted)


@transaction.atomic
def issue_credit_note(
    *,
    invoice: Invoice,
    amounts: dict[int, Decimal],
    reason: str,
    issue_date: datetime.date,
    issued_by=None,
    credit_from: datetime.date | None = None,
    rebilled_on: Invoice | None = None,
) -> CreditNote:
    """Credit part or all of an invoice's lines (net amounts per invoice line id).

    A line cannot be credited beyond what is left of its net amount; VAT is credited
    at the line's rate. The credit reduces income over the months the line still earns
    it (see `_ledger_for_credit_line`), or over the months from `credit_from`.
    `rebilled_on` names the invoice the charge moved to, when it moved.
    """
    invoice = _lock_invoice(invoice)
    reason = (reason or "").strip()
    if not reason:
        raise FinanceError("Enter the reason for the credit note")
    preview = credit_note_figures(invoice=invoice, amounts=amounts, issue_date=issue_date)
    config = _partnership_settings()
    year = preview.financial_year
    sequence = next_number(DocumentSequence.Kind.CREDIT_NOTE, year)
    figures = preview.lines
    note = CreditNote.objects.create(
        number=f"{config['credit_note']}-{year}-{sequence:05d}",
        financial_year=year,
        sequence=sequence,
        invoice=invoice,
        issue_date=issue_date,
        reason=reason,
        net_total=preview.net,
        vat_total=preview.vat,
        gross_total=preview.gross,
        rebilled_on=rebilled_on,
        issued_by=issued_by,
    )
    for line, net, vat in figures:
        credit_line = CreditNoteLine.objects.create(
            credit_note=note,
            invoice_line=line,
            description=line.description,
            vat_rate=line.vat_rate,
            net=net,
            vat=vat,
            gross=net + vat,
        )
        _ledger_for_credit_line(credit_line, line, note, invoice.school, reason, credit_from)
    return note


@transaction.atomic
def credit_repriced_bookings(
    *, repricings, reason: str, issue_date: datetime.date, issued_by=None
) -> list[CreditNote]:
    """Credit what a school was invoiced for bookings since priced lower.

    For each re-priced booking already invoiced, its invoice line is credited down to
    what the booking now costs (what is left of the line after earlier credits, less the
    new charge); one credit note per invoice. Bookings not yet invoiced need nothing:
    the monthly run bills them at their new price.
    """
    by_source = {f"booking:{r.booking.pk}": r for r in repricings}
    lines = InvoiceLine.objects.filter(source__in=by_source).select_related("invoice")
    wanted: dict[int, tuple[Invoice, dict[int, Decimal]]] = {}
    for line in lines.order_by("invoice_id", "position"):
        invoice, amounts = wanted.setdefault(line.invoice_id, (line.invoice, {}))
        credited = credited_net_by_line(invoice).get(line.pk, Decimal("0"))
        amount = line.net - credited - by_source[line.source].now_charge
        if amount > 0:
            amounts[line.pk] = amount
    return [
        issue_credit_note(
            invoice=invoice,
            amounts=amounts,
            reason=reason,
            issue_date=issue_date,
            issued_by=issued_by,
        )
        for invoice, amounts in wanted.values()
        if amounts
    ]


@transaction.atomic
def record_payment(
    *,
    invoice: Invoice,
    amount,
    received_on: datetime.date,
    method: str,
    reference: str = "",
    recorded_by=None,
) -> Payment:
    """Record money received. It must be more than zero and no more than the balance, and
    it cannot have been received after today (a date ahead is a typing mistake)."""
    invoice = _lock_invoice(invoice)
    amount = money(amount)
    if amount <= 0:
        raise FinanceError("The amount received must be more than £0.00")
    problem = rules.amount_problem(amount, "The amount received")
    if problem:
        raise FinanceError(problem)
    _check_financial_date(received_on, "The date received")
    problem = rules.received_on_problem(received_on, timezone.localdate())
    if problem:
        raise FinanceError(problem)
    balance = invoice_balance(invoice)
    if amount > balance:
        raise FinanceError(
            f"The amount received cannot be more than the balance of £{balance:,.2f}"
        )
    if method not in Payment.Method.values:
        raise FinanceError("Choose how the payment was made")
    return Payment.objects.create(
        invoice=invoice,
        amount=amount,
        received_on=received_on,
        method=method,
        reference=reference or "",
        recorded_by=recorded_by,
    )


@transaction.atomic
def record_journal(
    *,
    side: str,
    amount,
    entry_date: datetime.date,
    description: str,
    reason: str,
    budget_line: BudgetLine | None = None,
    entered_by=None,
) -> LedgerEntry:
    """A manual journal by a finance officer; the reason is required and kept."""
    if not (reason or "").strip():
        raise FinanceError("Enter the reason for the journal")
    amount = money(amount)
    if amount == 0:
        raise FinanceError("A journal must be for an amount other than £0.00")
    problem = rules.amount_problem(amount, "The amount", allow_negative=True)
    if problem:
        raise FinanceError(problem)
    _check_financial_date(entry_date, "The date of the journal")
    if budget_line is not None and not budget_line.covers(entry_date):
        raise FinanceError(
            f"The budget line is for {budget_line.budget_year} "
            f"({budget_line.starts_on:%d/%m/%Y} to {budget_line.ends_on:%d/%m/%Y}); "
            f"the journal's date is outside it"
        )
    return LedgerEntry.objects.create(
        side=side,
        entry_type=LedgerEntry.EntryType.JOURNAL,
        entry_date=entry_date,
        amount=amount,
        description=description.strip(),
        reason=reason.strip(),
        budget_line=budget_line,
        entered_by=entered_by,
    )


NOT_REVERSIBLE = {
    LedgerEntry.EntryType.INVOICE_LINE: "Income from an invoice is corrected by a credit note",
    LedgerEntry.EntryType.CREDIT_NOTE_LINE: "A credit note cannot be reversed",
    LedgerEntry.EntryType.REVERSAL: "A reversal cannot itself be reversed; enter a journal instead",
}


def reversal_problem(entry: LedgerEntry) -> str:
    """Why this entry cannot be reversed, or "" when it can."""
    if entry.entry_type in NOT_REVERSIBLE:
        return NOT_REVERSIBLE[entry.entry_type]
    if LedgerEntry.objects.filter(reverses=entry).exists():
        return "This entry has already been reversed"
    return ""


@transaction.atomic
def reverse_entry(
    *, entry: LedgerEntry, reason: str, entry_date: datetime.date, entered_by=None
) -> LedgerEntry:
    """Cancel a ledger entry by an equal and opposite one that points at it (once only).

    Journals, delivered costs and LA-commissioned income can be reversed. Income from
    invoices is corrected by a credit note instead, so the ledger keeps agreeing with the
    invoices; a reversal is never itself reversed (enter a journal instead).
    """
    if not (reason or "").strip():
        raise FinanceError("Enter the reason for the reversal")
    _check_financial_date(entry_date, "The date of the reversal")
    entry = LedgerEntry.objects.get(pk=entry.pk)  # reverse what was recorded, not an edited copy
    problem = reversal_problem(entry)
    if problem:
        raise FinanceError(problem)
    return LedgerEntry.objects.create(
        side=entry.side,
        entry_type=LedgerEntry.EntryType.REVERSAL,
        entry_date=entry_date,
        amount=-entry.amount,
        description=f"Reversal: {entry.description}"[:300],
        reference=entry.reference,
        income_account=entry.income_account,
        school=entry.school,
        # The same line: the account shows it by code in whichever year the date falls.
        budget_line=entry.budget_line,
        reverses=entry,
        reason=reason.strip(),
        entered_by=entered_by,
    )


def record_source_entry(
    *,
    side: str,
    entry_type: str,
    source_key: str,
    entry_date: datetime.date,
    amount,
    description: str,
    reference: str = "",
    school=None,
    budget_code: str = "",
) -> bool:
    """Record a delivered cost or LA-commissioned income once; False when already recorded.
    It counts towards the budget line `budget_code` names (an offer's cost line), else the
    one FINANCE_ACCOUNTS names for its kind, in the partnership year of its date."""
    if LedgerEntry.objects.filter(source_key=source_key).exists():
        return False
    try:
        with transaction.atomic():
            LedgerEntry.objects.create(
                side=side,
                entry_type=entry_type,
                entry_date=entry_date,
                amount=money(amount),
                description=description[:300],
                reference=reference,
                source_key=source_key,
                school=school,
                budget_line=budget_line_for(entry_type, entry_date, budget_code),
            )
    except IntegrityError:
        # Another run recorded it between the check and the insert.
        return False
    return True


def _delivery_charge(delivery, income_account, **extra) -> ChargeLine:
    """One delivered booking or package as a line, its income earned on the day delivered."""
    return ChargeLine(
        description=f"{delivery.description} ({delivery.delivered_on:%d/%m/%Y})"[:300],
        quantity=Decimal(delivery.quantity),
        unit_price=Decimal(delivery.unit_price),
        vat_rate=delivery.vat_rate,
        source=delivery.reference,
        purchase_order=delivery.purchase_order,
        income_account=income_account,
        recognise_from=delivery.delivered_on,
        recognise_to=delivery.delivered_on,
        **extra,
    )


def _report(on_progress: Progress | None, done: int, total: int, message: str):
    if on_progress is not None:
        on_progress(done, total, message)


def _billed_sources(sources) -> set[str]:
    return set(
        InvoiceLine.objects.filter(source__in=list(sources)).values_list("source", flat=True)
    )


def _hold_invoice_numbers(issue_date: datetime.date):
    """Lock the year's invoice numbering for the rest of the run's transaction.

    Runs are one transaction each, so a run that fails or whose worker dies leaves
    nothing behind and no gap in the numbers. Holding the lock from the start makes a
    second run of the same year wait, then see everything the first one billed.
    """
    year = str(FinancialYear.containing(issue_date))
    kind = DocumentSequence.Kind.INVOICE
    DocumentSequence.objects.get_or_create(kind=kind, financial_year=year)
    DocumentSequence.objects.select_for_update().get(kind=kind, financial_year=year)


@transaction.atomic
def run_annual_membership_invoices(
    *,
    academic_year: str,
    issue_date: datetime.date,
    job: Job | None = None,
    issued_by=None,
    on_progress: Progress | None = None,
) -> list[Invoice]:
    """One invoice per active membership of the academic year, each billed once.

    The fee is the frozen fee on the membership; its income is earned by month from the
    later of the year's first day (1 September unless the partnership's year starts in
    another month) and the joining date to the year's last day. A second run finds every
    membership already billed (by its source "membership:<id>") and issues nothing.
    The run is one transaction: it issues every invoice or none.
    """
    from membership.selectors import memberships_to_invoice

    AcademicYear.parse(academic_year)  # refuses a name that is not a year
    _check_financial_date(issue_date, "The issue date")
    _hold_invoice_numbers(issue_date)
    # An active membership always has its frozen fee; one without cannot be billed.
    memberships = [m for m in memberships_to_invoice(academic_year) if m.fee_amount is not None]
    billed = _billed_sources(f"membership:{m.pk}" for m in memberships)
    issued = []
    total = len(memberships)
    _report(on_progress, 0, total, f"Invoicing {total} memberships for {academic_year}")
    for done, membership in enumerate(memberships, start=1):
        if f"membership:{membership.pk}" not in billed:
            issued.extend(
                _invoice_membership(membership, issue_date=issue_date, job=job, issued_by=issued_by)
            )
        _report(
            on_progress,
            done,
            total,
            f"{done} of {count_of(total, 'membership')} done, "
            f"{count_of(len(issued), 'invoice')} issued",
        )
    return issued


def membership_sources(membership_id) -> tuple[str, str]:
    """The invoice line sources a membership may be billed under: the maintained school's
    part (or the whole) and the academy's part after a conversion."""
    return f"membership:{membership_id}", f"membership:{membership_id}{rules.ACADEMY_PART}"


def _invoice_membership(membership, *, issue_date, job, issued_by) -> list[Invoice]:
    """The invoices for one membership's fee: to its school, or, when the maintained school
    became an academy during the months billed, to each for its months.

    A maintained school that converts to an academy (a new URN with the school as its
    predecessor) is billed as a maintained school until the conversion and the academy
    from it: the academy gets its own invoice, billed as an academy (an external invoice;
    internal recharge is for maintained schools only), for the months from the
    conversion (rules.split_at_conversion). Converted before the months start: all of it
    goes to the academy. The fee itself is the frozen one: it was worked out by phase or
    pupils, which conversion does not change.
    """
    period = membership.year  # its own start month (Haringey's year runs from April)
    start = max(period.starts_on, membership.joined_on or period.starts_on)
    basis = f" ({membership.fee_basis})" if membership.fee_basis else ""
    description = f"Membership {period.academic_year}: {membership.tier.name}{basis}"
    school_source, academy_source = membership_sources(membership.pk)
    conversion = membership.school.conversion()
    if conversion is None:
        parts = [(membership.school, membership.fee_amount, start, period.ends_on, school_source)]
    else:
        before, after = rules.split_at_conversion(
            membership.fee_amount, start, period.ends_on, conversion.converts_on
        )
        academy_from = max(start, first_of_month(conversion.converts_on))
        parts = []
        if before:
            parts.append(
                (
                    membership.school,
                    before,
                    start,
                    academy_from - datetime.timedelta(days=1),
                    school_source,
                )
            )
        if after:
            parts.append(
                (
                    conversion.academy,
                    after,
                    academy_from,
                    period.ends_on,
                    academy_source if before else school_source,
                )
            )
    invoices = []
    for school, amount, recognise_from, recognise_to, source in parts:
        words = description
        if conversion is not None and len(parts) == 2:
            words = _conversion_words(description, recognise_from, recognise_to, conversion)
        elif school != membership.school:
            words = f"{description}, for {membership.school.name}, now {school.name}"
        invoices.append(
            issue_invoice(
                school=school,
                lines=[
                    ChargeLine(
                        description=words[:300],
                        quantity=Decimal("1"),
                        unit_price=amount,
                        source=source,
                        income_account=InvoiceLine.IncomeAccount.MEMBERSHIP,
                        recognise_from=recognise_from,
                        recognise_to=recognise_to,
                    )
                ],
                issue_date=issue_date,
                purchase_order=membership.purchase_order or "",
                job=job,
                issued_by=issued_by,
            )
        )
    return invoices


def _conversion_words(description, recognise_from, recognise_to, conversion) -> str:
    return (
        f"{description}, {recognise_from:%-d %B %Y} to {recognise_to:%-d %B %Y}"
        f" (converted to {conversion.academy.name} on {conversion.converts_on:%-d %B %Y})"
    )


@dataclass(frozen=True)
class ConversionRebill:
    """A membership invoiced to a maintained school before its conversion was known: the
    line billed, the conversion, and what moves to the academy from which day."""

    line: InvoiceLine
    conversion: object
    amount: Decimal
    academy_from: datetime.date

    @property
    def school(self):
        return self.line.invoice.school

    @property
    def academy_source(self) -> str:
        return f"{self.line.source}{rules.ACADEMY_PART}"


def conversion_rebills() -> list[ConversionRebill]:
    """Membership fees billed whole to a maintained school that has since become an academy
    during the months billed, and not yet moved: what `rebill_conversions` would move.
    A fixed number of queries, however many lines."""
    lines = list(
        InvoiceLine.objects.filter(
            income_account=InvoiceLine.IncomeAccount.MEMBERSHIP,
            source__regex=r"^membership:[0-9]+$",
            invoice__school__successors__isnull=False,
        )
        .select_related("invoice__school")
        .prefetch_related("invoice__school__successors")
        .distinct()
        .order_by("invoice__school__name", "invoice__number", "position")
    )
    moved = _billed_sources(f"{line.source}{rules.ACADEMY_PART}" for line in lines)
    credited = dict(
        CreditNoteLine.objects.filter(invoice_line__in=lines)
        .values("invoice_line")
        .annotate(total=Sum("net"))
        .values_list("invoice_line", "total")
    )
    found = []
    for line in lines:
        conversion = line.invoice.school.conversion()
        if conversion is None or f"{line.source}{rules.ACADEMY_PART}" in moved:
            continue
        move = rules.conversion_rebill(
            line.net,
            credited.get(line.pk, Decimal("0")),
            line.recognise_from,
            line.recognise_to,
            conversion.converts_on,
        )
        if move is not None:
            found.append(ConversionRebill(line, conversion, *move))
    return found


@transaction.atomic
def rebill_conversions(*, issue_date: datetime.date, issued_by=None) -> list[ConversionRebill]:
    """Move membership fees billed to a maintained school before its conversion was known
    to the academy it became, for the months from the conversion.

    The rule: the school's invoice is never edited. A credit note takes back the academy's
    share of what is still owed on the line (split by the months it is earned in, as the
    annual run splits a fee it knows spans a conversion: rules.conversion_rebill), in those
    same months, and the academy gets its own invoice, billed as an academy, for the same
    amount and months. The fee itself does not change. Each move is keyed by the academy's
    source ("membership:<id>:academy"), so running this twice moves nothing twice; it runs
    under the invoice numbering lock, so two at once wait for each other. The invoices and
    credit notes are in the audit trail, recorded as "Academy conversion".
    """
    from partnership.history import recorded_as

    _check_financial_date(issue_date, "The issue date")
    _hold_invoice_numbers(issue_date)
    done = []
    with recorded_as("Academy conversion"):
        for move in conversion_rebills():
            line, conversion, invoice = move.line, move.conversion, move.line.invoice
            academy = conversion.academy
            rebill = issue_invoice(
                school=academy,
                lines=[
                    ChargeLine(
                        description=_conversion_words(
                            line.description, move.academy_from, line.recognise_to, conversion
                        )[:300],
                        quantity=Decimal("1"),
                        unit_price=move.amount,
                        vat_rate=line.vat_rate,
                        source=move.academy_source,
                        income_account=line.income_account,
                        recognise_from=move.academy_from,
                        recognise_to=line.recognise_to,
                    )
                ],
                issue_date=issue_date,
                purchase_order=invoice.purchase_order,
                issued_by=issued_by,
            )
            issue_credit_note(
                invoice=invoice,
                amounts={line.pk: move.amount},
                reason=(
                    f"{move.school.name} became {academy.name}, an academy, on "
                    f"{conversion.converts_on:%-d %B %Y}: from {move.academy_from:%-d %B %Y} "
                    f"billed to the academy on invoice {rebill.number}"
                )[:300],
                issue_date=issue_date,
                issued_by=issued_by,
                credit_from=move.academy_from,
                rebilled_on=rebill,
            )
            done.append(move)
    return done


def _payers_after_conversion(deliveries):
    """Who pays for each delivery: the academy a school became, for what was delivered or
    charged from its conversion on (rules.billed_school_on), else the school. One query
    for the schools' successors, however many deliveries."""
    from schools.models import School

    ids = {d.school.pk for d in deliveries if d.school is not None}
    conversions = {
        school.pk: school.conversion()
        for school in School.objects.filter(pk__in=ids).prefetch_related("successors")
    }

    def payer(delivery):
        return rules.billed_school_on(
            delivery.school, conversions.get(delivery.school.pk), delivery.delivered_on
        )

    return payer


@transaction.atomic
def run_monthly_bookings(
    *,
    month: datetime.date,
    issue_date: datetime.date,
    job: Job | None = None,
    issued_by=None,
    on_progress: Progress | None = None,
) -> list[Invoice]:
    """Bill the month's delivered bookings and record the month's delivered costs.

    A month that has not started yet is refused: nothing can have been delivered in it.
    One invoice per school for its chargeable deliveries not yet billed, and one to the LA
    for the support it commissioned (a line per package, at the LA price frozen when it
    was commissioned, its income "LA commissioning" against the school it was for).
    Delivered deployment costs and task-and-finish group days are recorded as expenditure,
    and each practitioner's home school is paid its share of the day rate for the days
    delivered (a home-school payment, posted as a practitioner payment). Everything is
    keyed by its reference, so a second run records nothing twice. The run is one
    transaction: all of it or none.
    """
    from governance.selectors import task_group_day_costs
    from offers.selectors import (
        chargeable_deliveries,
        delivered_deployment_costs,
        home_school_payments_due,
    )

    _check_financial_date(month.replace(day=1), "The month delivered")
    _check_financial_date(issue_date, "The issue date")
    problem = rules.run_month_problem(month, timezone.localdate())
    if problem:
        raise FinanceError(problem)
    _hold_invoice_numbers(issue_date)
    start = month.replace(day=1)
    end = first_of_month(start, 1) - datetime.timedelta(days=1)
    deliveries = chargeable_deliveries(start, end)
    costs = delivered_deployment_costs(start, end)
    days = task_group_day_costs(start, end)
    payments = home_school_payments_due(start, end)
    total = len(deliveries) + len(costs) + len(days) + len(payments)
    done = 0
    _report(on_progress, done, total, f"Recording {total} deliveries and costs for {start:%B %Y}")

    by_school = {}
    for_la = []
    payers = _payers_after_conversion(deliveries)
    for delivery in deliveries:
        if delivery.payer == "la":
            for_la.append(delivery)
        else:
            payer = payers(delivery)
            by_school.setdefault(payer.pk, (payer, []))[1].append(delivery)
    billed = _billed_sources(d.reference for d in deliveries)
    issued = []
    for payer, group in by_school.values():
        new = [d for d in group if d.reference not in billed]
        if new:
            orders = sorted({d.purchase_order for d in new if d.purchase_order})
            invoice = issue_invoice(
                school=payer,
                lines=[_delivery_charge(d, InvoiceLine.IncomeAccount.SALES) for d in new],
                issue_date=issue_date,
                purchase_order=", ".join(orders)[:50],
                job=job,
                issued_by=issued_by,
            )
            issued.append(invoice)
        done += len(group)
        _report(
            on_progress,
            done,
            total,
            f"{done} of {total} done, {count_of(len(issued), 'invoice')} issued",
        )
    # Support a run recorded as ledger income before the LA was invoiced is not billed again.
    recorded = set(
        LedgerEntry.objects.filter(source_key__in=[d.reference for d in for_la]).values_list(
            "source_key", flat=True
        )
    )
    new = [d for d in for_la if d.reference not in billed and d.reference not in recorded]
    if new:
        issued.append(
            issue_invoice(
                school=None,
                lines=[
                    _delivery_charge(d, InvoiceLine.IncomeAccount.COMMISSIONED, for_school=d.school)
                    for d in new
                ],
                issue_date=issue_date,
                job=job,
                issued_by=issued_by,
            )
        )
    done += len(for_la)
    for cost in costs:
        who = f" ({cost.practitioner_name})" if cost.practitioner_name else ""
        record_source_entry(
            side=LedgerEntry.Side.EXPENDITURE,
            entry_type=LedgerEntry.EntryType.DEPLOYMENT_COST,
            source_key=cost.reference,
            entry_date=cost.delivered_on,
            amount=cost.amount,
            description=f"{cost.description}{who}",
            reference=cost.reference,
            budget_code=cost.cost_line,
        )
        done += 1
    for day in days:
        record_source_entry(
            side=LedgerEntry.Side.EXPENDITURE,
            entry_type=LedgerEntry.EntryType.TASK_GROUP_DAY,
            source_key=day.reference,
            entry_date=day.on_date,
            amount=day.amount,
            description=day.description,
            reference=day.reference,
        )
        done += 1
    paid = _pay_home_schools(payments, month=start, job=job)
    done += len(payments)
    _report(
        on_progress,
        done,
        total,
        f"{count_of(len(issued), 'invoice')} issued and "
        f"{count_of(len(paid), 'home-school payment')} made for {start:%B %Y}",
    )
    return issued


def _pay_home_schools(payments, *, month: datetime.date, job=None) -> list[HomeSchoolPayment]:
    """A home-school payment for each delivered deployment not yet paid, each with its
    ledger entry (a practitioner payment, on the day the days were delivered, against
    the home school and the offer's cost line). Paid once, whoever runs the month again."""
    already = set(
        HomeSchoolPayment.objects.filter(source__in=[p.reference for p in payments]).values_list(
            "source", flat=True
        )
    )
    made = []
    for due in payments:
        if due.reference in already:
            continue
        entry = LedgerEntry.objects.create(
            side=LedgerEntry.Side.EXPENDITURE,
            entry_type=LedgerEntry.EntryType.PRACTITIONER_PAYMENT,
            entry_date=due.delivered_on,
            amount=money(due.amount),
            description=f"Home school {due.home_school.name}: {due.description}"[:300],
            reference=due.reference,
            source_key=f"home-school-payment:{due.reference}",
            school=due.home_school,
            budget_line=budget_line_for(
                LedgerEntry.EntryType.PRACTITIONER_PAYMENT, due.delivered_on, due.cost_line
            ),
        )
        made.append(
            HomeSchoolPayment.objects.create(
                source=due.reference,
                school=due.home_school,
                practitioner_name=due.practitioner_name,
                designation=due.designation,
                description=due.description[:300],
                delivered_on=due.delivered_on,
                days=due.days,
                day_rate=due.day_rate,
                home_school_percent=due.home_school_percent,
                amount=money(due.amount),
                month=month,
                ledger_entry=entry,
                job=job,
            )
        )
    return made


@transaction.atomic
def update_budget_line(*, line: BudgetLine, changed_by=None, **values) -> BudgetLine:
    """Change a budget line; a cost line's amount stays quantity × unit cost."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    for key in ("name", "quantity", "unit_cost", "amount", "forecast_override"):
        if key in values:
            setattr(line, key, values[key])
    if not line.is_income:
        line.amount = money(Decimal(line.quantity) * Decimal(line.unit_cost))
    else:
        line.amount = money(line.amount)
    if line.forecast_override is not None:
        line.forecast_override = money(line.forecast_override)
    line._history_user = changed_by
    line.save()
    return line


def start_job(*, kind: str, parameter: str, started_by=None) -> Job:
    job = Job.objects.create(kind=kind, parameter=parameter, started_by=started_by)
    # A job number used before (a restored database, a test database) starts afresh.
    caches["progress"].delete(job_progress_key(job.pk))
    return job


def update_job(job_id: int, **fields):
    """Record a job's status (running, finished, failed) and its final counts."""
    if fields.get("status") in (Job.Status.FINISHED, Job.Status.FAILED):
        fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=job_id).update(**fields)


def report_job_progress(job_id: int, done: int, total: int, message: str):
    """Progress goes to the cache, not the job row: a run is one transaction, and
    what it writes to the database is invisible to the page until it commits."""
    caches["progress"].set(
        job_progress_key(job_id),
        {"done": done, "total": total, "message": message[:300]},
        PROGRESS_SECONDS,
    )
