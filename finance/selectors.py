"""Reads for the finance pages and reports: invoices with status, the trading account."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import caches
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth

from partnership.calendars import AcademicYear, FinancialYear
from partnership.money import money

from . import rules
from .accounts import codes_for
from .ledger_layout import DEFAULT_LAYOUT, Layout
from .models import (
    BudgetLine,
    CreditNote,
    CreditNoteLine,
    HomeSchoolPayment,
    Invoice,
    InvoiceLine,
    Job,
    LedgerEntry,
    LedgerLayout,
    Payment,
    job_progress_key,
)

ZERO = Decimal("0.00")
MONEY_OUTPUT = DecimalField(max_digits=12, decimal_places=2)


def _sum_subquery(model, link, field_name):
    rows = model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
    rows = rows.annotate(total=Sum(field_name)).values("total")
    return Coalesce(
        Subquery(rows, output_field=MONEY_OUTPUT), Value(ZERO), output_field=MONEY_OUTPUT
    )


def invoices_with_status(today: datetime.date | None = None):
    """Invoices annotated with credited, paid, balance and status (rules.invoice_status in SQL)."""
    today = today or datetime.date.today()
    return (
        Invoice.objects.select_related("school")
        .annotate(
            credited=_sum_subquery(CreditNote, "invoice", "gross_total"),
            paid=_sum_subquery(Payment, "invoice", "amount"),
        )
        .annotate(balance=F("gross_total") - F("credited") - F("paid"))
        .annotate(
            status=Case(
                When(credited__gte=F("gross_total"), then=Value("credited")),
                When(balance__lte=0, then=Value("paid")),
                When(due_date__lt=today, then=Value("overdue")),
                When(Q(paid__gt=0) | Q(credited__gt=0), then=Value("part_paid")),
                default=Value("issued"),
                output_field=CharField(),
            )
        )
    )


def invoices_for(user, today=None):
    """The invoices this person may see: all for finance, their own school's for headteachers."""
    from schools.permissions import for_schools_of

    return for_schools_of(user, invoices_with_status(today))


def credit_notes_for(user):
    from schools.permissions import for_schools_of

    return for_schools_of(
        user,
        CreditNote.objects.select_related("invoice", "invoice__school"),
        field="invoice__school",
    )


def costing_rows(budget_year: str):
    """The costing export of one partnership year's budget: each cost line, then the core,
    additional and overall totals."""
    lines = list(
        BudgetLine.objects.filter(budget_year=budget_year)
        .exclude(kind=BudgetLine.Kind.INCOME)
        .order_by("pk")
    )
    totals = {
        kind: sum((line.amount for line in lines if line.kind == kind), ZERO)
        for kind in ("core", "additional")
    }
    return lines, {
        "core": totals["core"],
        "additional": totals["additional"],
        "all": totals["core"] + totals["additional"],
    }


def budget_years() -> list[str]:
    """The financial years that hold some budgeted month, newest first."""
    periods = BudgetLine.objects.values_list("starts_on", "ends_on").distinct()
    years = set()
    for starts_on, ends_on in periods:
        first = FinancialYear.containing(starts_on).start_year
        last = FinancialYear.containing(ends_on).start_year
        years.update(str(FinancialYear(y)) for y in range(first, last + 1))
    return sorted(years, reverse=True)


def default_financial_year(today=None) -> str:
    return str(FinancialYear.containing(today or datetime.date.today()))


@dataclass
class AccountRow:
    """One row of the trading account: a budget line (by code, from whichever partnership
    years have months in the financial year), membership fees, or an unbudgeted bucket."""

    label: str
    side: str
    code: str = ""
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast: Decimal = ZERO
    overridden: bool = False
    lines: list = field(default_factory=list)
    budget_by_month: list = field(default_factory=lambda: [ZERO] * 12)
    actual_by_month: list = field(default_factory=lambda: [ZERO] * 12)
    forecast_by_month: list = field(default_factory=lambda: [ZERO] * 12)

    @property
    def variance(self):
        return self.forecast - self.budget

    @property
    def line(self) -> BudgetLine | None:
        """The budget line a finance officer edits from this row: the latest year's."""
        return self.lines[-1] if self.lines else None


@dataclass(frozen=True)
class NotRecorded:
    """A budgeted amount for a month that has ended with nothing recorded against it: the
    forecast takes the budget, and the officer is told."""

    label: str
    month: datetime.date
    amount: Decimal
    side: str


@dataclass
class TradingAccount:
    financial_year: str
    months: list
    income: list
    expenditure: list
    today: datetime.date
    not_recorded: list = field(default_factory=list)

    def _total(self, rows, attr):
        return sum((getattr(row, attr) for row in rows), ZERO)

    def totals(self, side):
        rows = self.income if side == "income" else self.expenditure
        return {attr: self._total(rows, attr) for attr in ("budget", "actual", "forecast")}

    @property
    def income_totals(self):
        return self.totals("income")

    @property
    def expenditure_totals(self):
        return self.totals("expenditure")

    @property
    def surplus(self):
        """Surplus (a deficit negative) = income − expenditure, for budget, actual and forecast:
        the one definition every page, export, PDF and email uses."""
        income, spend = self.income_totals, self.expenditure_totals
        return {key: rules.surplus(income[key], spend[key]) for key in income}

    @property
    def not_recorded_by_line(self):
        """The not-yet-recorded amounts, one row per line: its months and their total."""
        lines: dict = {}
        for item in self.not_recorded:
            lines.setdefault((item.side, item.label), []).append(item)
        return [
            {
                "label": label,
                "side": side,
                "months": [item.month for item in items],
                "amount": sum((item.amount for item in items), ZERO),
            }
            for (side, label), items in sorted(lines.items())
        ]

    @property
    def not_recorded_total(self):
        return {
            side: sum((item.amount for item in self.not_recorded if item.side == side), ZERO)
            for side in ("income", "expenditure")
        }

    def by_month(self):
        """Per month: budgeted, actual (or scheduled) and forecast income and expenditure."""
        rows = []
        for index, month in enumerate(self.months):
            row = {"month": month}
            for side, side_rows in (("income", self.income), ("expenditure", self.expenditure)):
                for kind in ("budget", "actual", "forecast"):
                    row[f"{kind}_{side}"] = sum(
                        (getattr(r, f"{kind}_by_month")[index] for r in side_rows), ZERO
                    )
            rows.append(row)
        return rows


UNBUDGETED = {
    ("income", "sales"): "Sales to schools",
    ("income", "commissioned"): "Support commissioned by the LA (not budgeted)",
    ("income", "other"): "Other income (not budgeted)",
    ("expenditure", "other"): "Other expenditure (not budgeted)",
}
MEMBERSHIP_ROW = ("income", "membership")


def _month_index(months):
    return {month: index for index, month in enumerate(months)}


def _spread(amount, starts_on, ends_on) -> dict:
    """An amount spread evenly over the months from starts_on to ends_on: {month: part}."""
    return dict(rules.apportion_by_month(amount, starts_on, ends_on))


def _line_months(line, budget, actual, current):
    """A budget line's forecast for each month of its own year (and any month holding an
    entry against it): what was recorded where something was, else the budget; an
    officer's override for the year replaces the months still to come."""
    months = sorted(set(budget) | set(actual))
    forecast = {m: (actual.get(m) or budget.get(m, ZERO)) for m in months}
    later = [m for m in sorted(budget) if m > current]
    if line.forecast_override is not None and later:
        # The officer's figure for the line's year: what is left after the months to this
        # one (as forecast: recorded, or the budget where nothing was), spread evenly over
        # the months still to come.
        so_far = sum((amount for m, amount in forecast.items() if m <= current), ZERO)
        rest = rules.apportion_by_month(line.forecast_override - so_far, later[0], later[-1])
        forecast.update(dict(rest))
    return forecast


def _membership_invoice_lines():
    """The invoice lines billing the membership of the outer query (source "membership:<id>",
    as the annual run writes it)."""
    return InvoiceLine.objects.filter(
        source=Concat(Value("membership:"), Cast(OuterRef("pk"), CharField()))
    )


def _membership_fees_not_invoiced(year, index):
    """The year's membership fees expected and not yet invoiced, by month: signed memberships
    from their joining month, pledges over the whole year. Counted in the database by
    joining month, however many members. (Invoiced fees are on the ledger already, to the
    penny as each invoice earns them.)"""
    from membership.selectors import pledges, signed_memberships

    groups = (
        signed_memberships(year)
        .exclude(Exists(_membership_invoice_lines()))
        .annotate(starts=TruncMonth(Coalesce("joined_on", Value(year.starts_on))))
        .values("starts")
        .annotate(total=Sum("fee_amount"))
        .order_by()
    )
    expected = [(group["starts"], group["total"]) for group in groups]
    pledged = sum((p.fee for p in pledges(year) if p.fee is not None), ZERO)
    if pledged:
        expected.append((year.starts_on, pledged))
    by_month = [ZERO] * 12
    for starts, total in expected:
        if isinstance(starts, datetime.datetime):
            starts = starts.date()
        for month, part in _spread(total, max(starts, year.starts_on), year.ends_on).items():
            if month in index:
                by_month[index[month]] += part
    return by_month


def trading_account(financial_year: str, today: datetime.date | None = None) -> TradingAccount:
    """Budget, actual and forecast by line and by month for one financial year (April-March).

    Budgets belong to partnership years (September-August unless the partnership file says
    otherwise): each budget line is spread evenly over its own year's months and this
    account takes the months that fall in the financial year, from whichever years they
    belong to. Membership fees are budgeted as the fees expected from the memberships
    signed for those years (from each school's joining month) and the schools' pledges.

    Actual is what the ledger holds for months up to and including this month. The
    forecast of each month is what was recorded (or is scheduled: membership income earned
    over the year) or, where nothing is, the budget; a month that has ended with nothing
    recorded against a budget is listed in `not_recorded`, never taken as £0. Membership
    fees are forecast as what was invoiced plus what is expected and not yet invoiced. A
    finance officer's override replaces a line's months still to come.
    """
    from membership.selectors import years_overlapping

    today = today or datetime.date.today()
    year = FinancialYear.parse(financial_year)
    months = year.months()
    index = _month_index(months)
    current = today.replace(day=1)
    lines = list(
        BudgetLine.objects.filter(
            starts_on__lte=year.ends_on, ends_on__gte=year.starts_on
        ).order_by("starts_on", "pk")
    )
    entries = (
        LedgerEntry.objects.filter(Q(financial_year=financial_year) | Q(budget_line__in=lines))
        .annotate(month=TruncMonth("entry_date"))
        .values("side", "budget_line", "income_account", "entry_type", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    known = {line.pk: line for line in lines}
    invoiced_fees = [ZERO] * 12
    by_line: dict = {line.pk: {} for line in lines}
    buckets: dict = {}
    for item in entries:
        month = item["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        if item["budget_line"]:
            by_line.setdefault(item["budget_line"], {})
            actual = by_line[item["budget_line"]]
            actual[month] = actual.get(month, ZERO) + money(item["total"])
        elif month in index:
            bucket = (
                item["income_account"]
                if item["side"] == "income"
                and item["income_account"] in ("membership", "sales", "commissioned")
                else "other"
            )
            key = (item["side"], bucket)
            buckets.setdefault(key, [ZERO] * 12)[index[month]] += money(item["total"])
            if key == MEMBERSHIP_ROW and item["entry_type"] == LedgerEntry.EntryType.INVOICE_LINE:
                invoiced_fees[index[month]] += money(item["total"])
    missing = set(by_line) - set(known)
    if missing:
        # Entries in this year against a line of a year with no month in it (a reversal
        # dated after its line's year): shown on that line's row all the same.
        known.update({line.pk: line for line in BudgetLine.objects.filter(pk__in=missing)})

    in_year = {line.pk for line in lines}
    rows: dict = {}
    not_recorded = []
    for pk, actual in by_line.items():
        line = known[pk]
        side = "income" if line.is_income else "expenditure"
        row = rows.setdefault(
            ("line", side, line.code), AccountRow(label=line.name, side=side, code=line.code)
        )
        row.lines.append(line)
        # A line of a year with no month in this one brings its entries, not its budget.
        budget = _spread(line.amount, line.starts_on, line.ends_on) if pk in in_year else {}
        forecast = _line_months(line, budget, actual, current)
        row.overridden = row.overridden or (
            line.forecast_override is not None and any(m > current for m in budget)
        )
        for month, i in index.items():
            row.budget_by_month[i] += budget.get(month, ZERO)
            row.actual_by_month[i] += actual.get(month, ZERO)
            row.forecast_by_month[i] += forecast.get(month, ZERO)
            if month < current and budget.get(month) and not actual.get(month):
                not_recorded.append(NotRecorded(line.name, month, budget[month], side))

    membership = AccountRow(label="Membership fees", side="income", code="membership-fees")
    membership.actual_by_month = buckets.pop(MEMBERSHIP_ROW, [ZERO] * 12)
    # Budget: what the membership invoices earn each month (credit notes aside), and what
    # is expected and not yet invoiced; forecast: what was recorded, and the same expected.
    membership.budget_by_month = invoiced_fees
    for membership_year in years_overlapping(year.starts_on, year.ends_on):
        uninvoiced = _membership_fees_not_invoiced(membership_year, index)
        for i in range(12):
            membership.budget_by_month[i] += uninvoiced[i]
            membership.forecast_by_month[i] += uninvoiced[i]
    for i, month in enumerate(months):
        uninvoiced = membership.forecast_by_month[i]
        membership.forecast_by_month[i] += membership.actual_by_month[i]
        if month < current and uninvoiced:
            not_recorded.append(
                NotRecorded("Membership fees not yet invoiced", month, uninvoiced, "income")
            )
    if any(membership.budget_by_month) or any(membership.actual_by_month):
        rows[MEMBERSHIP_ROW] = membership
    for key, amounts in buckets.items():
        rows[key] = AccountRow(
            label=UNBUDGETED[key],
            side=key[0],
            actual_by_month=amounts,
            forecast_by_month=list(amounts),
        )

    for row in rows.values():
        row.budget = sum(row.budget_by_month, ZERO)
        row.actual = sum(
            (
                amount
                for month, amount in zip(months, row.actual_by_month, strict=True)
                if month <= current
            ),
            ZERO,
        )
        row.forecast = sum(row.forecast_by_month, ZERO)

    def order(row):
        kind = row.line.kind if row.line else ""
        return (row.code == "", row.code != "membership-fees", kind, row.label)

    ordered = sorted(rows.values(), key=order)
    return TradingAccount(
        financial_year=financial_year,
        months=months,
        income=[r for r in ordered if r.side == "income"],
        expenditure=[r for r in ordered if r.side == "expenditure"],
        today=today,
        not_recorded=sorted(not_recorded, key=lambda item: (item.side, item.month, item.label)),
    )


def membership_fees_credited(year) -> Decimal:
    """Net credited on the invoices of the year's memberships (credit notes against them)."""
    from membership.selectors import signed_memberships

    sources = signed_memberships(year).annotate(
        source=Concat(Value("membership:"), Cast("pk", CharField()))
    )
    # An academy's part of a membership its school converted during is billed on its own.
    academy_parts = sources.annotate(part=Concat("source", Value(rules.ACADEMY_PART)))
    # A credit that moved the fee to the academy a school became takes nothing back.
    total = (
        CreditNoteLine.objects.filter(
            Q(invoice_line__source__in=sources.values("source"))
            | Q(invoice_line__source__in=academy_parts.values("part"))
        )
        .filter(credit_note__rebilled_on__isnull=True)
        .aggregate(total=Sum("net"))["total"]
    )
    return money(total or 0)


@dataclass(frozen=True)
class AnnualRunPreview:
    academic_year: str
    to_invoice: int
    total: Decimal
    already_invoiced: int


def annual_run_preview(academic_year: str) -> AnnualRunPreview:
    """What the annual membership run would issue now: the active memberships of the year
    not yet invoiced, and their fees (counted in the database)."""
    from membership.selectors import memberships_to_invoice

    billed = _membership_invoice_lines()
    rows = (
        memberships_to_invoice(academic_year)
        .filter(fee_amount__isnull=False)
        .annotate(billed=Exists(billed))
        .order_by()
        .values("billed")
        .annotate(count=Count("pk"), total=Sum("fee_amount"))
    )
    found = {row["billed"]: row for row in rows}
    new = found.get(False, {"count": 0, "total": ZERO})
    return AnnualRunPreview(
        academic_year=academic_year,
        to_invoice=new["count"],
        total=money(new["total"] or 0),
        already_invoiced=found.get(True, {"count": 0})["count"],
    )


@dataclass(frozen=True)
class Reconciliation:
    invoiced_net: Decimal
    credited_net: Decimal
    ledger_income_from_invoices: Decimal
    invoiced_gross: Decimal
    credited_gross: Decimal
    paid: Decimal
    outstanding: Decimal

    @property
    def income_agrees(self):
        return self.ledger_income_from_invoices == self.invoiced_net - self.credited_net

    @property
    def debtors_agree(self):
        return self.outstanding == self.invoiced_gross - self.credited_gross - self.paid


def reconciliation() -> Reconciliation:
    """The ledger's income from invoices against the invoices, credit notes and payments."""

    def total(queryset, name):
        return queryset.aggregate(total=Sum(name))["total"] or ZERO

    invoiced = Invoice.objects.aggregate(net=Sum("net_total"), gross=Sum("gross_total"))
    credited = CreditNote.objects.aggregate(net=Sum("net_total"), gross=Sum("gross_total"))
    ledger = total(
        LedgerEntry.objects.filter(
            entry_type__in=[
                LedgerEntry.EntryType.INVOICE_LINE,
                LedgerEntry.EntryType.CREDIT_NOTE_LINE,
            ]
        ),
        "amount",
    )
    invoiced_gross = invoiced["gross"] or ZERO
    credited_gross = credited["gross"] or ZERO
    paid = total(Payment.objects.all(), "amount")
    return Reconciliation(
        invoiced_net=invoiced["net"] or ZERO,
        credited_net=credited["net"] or ZERO,
        ledger_income_from_invoices=ledger,
        invoiced_gross=invoiced_gross,
        credited_gross=credited_gross,
        paid=paid,
        # Every credit note and payment belongs to one invoice, so the invoices' balances
        # add up to these totals: summing them invoice by invoice would count each again.
        outstanding=invoiced_gross - credited_gross - paid,
    )


def current_layout() -> tuple[Layout, dict]:
    """The ledger layout and the codes by kind of entry the partnership file set (its
    `ledger:` section), else the default layout and no codes of the file's own."""
    row = LedgerLayout.objects.first()
    if row is None:
        return DEFAULT_LAYOUT, {}
    if not row.columns:
        return DEFAULT_LAYOUT, row.accounts
    layout = Layout.from_dict(
        {"columns": row.columns, "date_format": row.date_format, "credits": row.credits}
    )
    return layout, row.accounts


def ledger_export_rows(start: datetime.date, end: datetime.date):
    """Rows for the council's finance system: date, account code, cost centre, description,
    amount (income positive, expenditure negative), reference."""
    entries = (
        LedgerEntry.objects.filter(entry_date__gte=start, entry_date__lte=end)
        .select_related("budget_line", "reverses__budget_line")
        .order_by("entry_date", "pk")
    )
    accounts = current_layout()[1]
    for entry in entries:
        account = codes_for(entry, accounts)
        amount = entry.amount if entry.side == LedgerEntry.Side.INCOME else -entry.amount
        yield {
            "date": entry.entry_date,
            "account_code": account["account_code"],
            "cost_centre": account["cost_centre"],
            "description": entry.description,
            "amount": money(amount),
            "reference": entry.reference or entry.source_key,
        }


def financial_year_of(academic_year: str) -> str:
    """The financial year a partnership year starts in, for numbering and titles
    (2026/27 -> 2026-27); its budget is spread over the months of both."""
    return str(FinancialYear.containing(AcademicYear.parse(academic_year).starts_on))


def budget_year_named(text: str) -> str:
    """A partnership year's name from either calendar's spelling: 2026/27 as it is, and a
    financial year (2026-27) as the partnership year that starts in it (2026/27)."""
    try:
        return str(AcademicYear.parse(text))
    except ValueError:
        return str(AcademicYear(FinancialYear.parse(text).start_year))


def budget_totals(budget_year: str) -> dict:
    """One partnership year's budget: core costs, additional costs and budgeted income."""
    rows = (
        BudgetLine.objects.filter(budget_year=budget_year)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = {row["kind"]: row["total"] for row in rows}
    return {kind: money(totals.get(kind) or 0) for kind in ("core", "additional", "income")}


def ledger_entries():
    """The ledger, each entry marked `is_reversed` (one query, whatever the number of rows)."""
    # Only reversals: the database then looks through those, not every entry's empty link.
    reversed_ids = LedgerEntry.objects.filter(reverses__isnull=False, reverses=OuterRef("pk"))
    # The batch's number, not the batch: a batch row carries its whole file.
    return LedgerEntry.objects.select_related("budget_line").annotate(
        is_reversed=Exists(reversed_ids), export_batch_number=F("export_batch__number")
    )


def invoice_lines_with_credit(invoice):
    """The invoice's lines, each with how much of its net is already credited and what is left."""
    lines = list(
        InvoiceLine.objects.filter(invoice=invoice).annotate(
            credited_net=Coalesce(Sum("credit_lines__net"), Value(ZERO), output_field=MONEY_OUTPUT)
        )
    )
    for line in lines:
        line.creditable = line.net - line.credited_net
    return lines


def with_live_progress(job: Job) -> Job:
    """The job with its latest progress from the cache while it runs.

    A run writes its progress to the cache (its database writes are not visible until
    it commits). When the cache is unreachable the page shows the job's status alone.
    """
    if job.status == Job.Status.RUNNING:
        live = caches["progress"].get(job_progress_key(job.pk))
        if live:
            job.done, job.total, job.message = live["done"], live["total"], live["message"]
    return job


def home_school_payments():
    """Every payment to a practitioner's home school, with its school (one query)."""
    return HomeSchoolPayment.objects.select_related("school")


def home_school_payments_total(payments) -> Decimal:
    """What these payments come to (each is already to the penny)."""
    return payments.order_by().aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
