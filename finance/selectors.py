"""Reads for the finance pages and reports: invoices with status, the trading account."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
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
from django.db.models.functions import Coalesce, TruncMonth

from partnership.calendars import AcademicYear, FinancialYear
from partnership.money import money

from . import rules
from .accounts import account_for, account_key
from .models import (
    BudgetLine,
    CreditNote,
    Invoice,
    InvoiceLine,
    Job,
    LedgerEntry,
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


def costing_rows(financial_year: str):
    """The costing export: each cost line, then the core, additional and overall totals."""
    lines = list(
        BudgetLine.objects.filter(financial_year=financial_year)
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
    return list(
        BudgetLine.objects.order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )


def default_financial_year(today=None) -> str:
    return str(FinancialYear.containing(today or datetime.date.today()))


@dataclass
class AccountRow:
    """One row of the trading account: a budget line or an unbudgeted bucket."""

    label: str
    side: str
    code: str = ""
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast: Decimal = ZERO
    overridden: bool = False
    line: BudgetLine | None = None
    budget_by_month: list = field(default_factory=list)
    actual_by_month: list = field(default_factory=list)
    forecast_by_month: list = field(default_factory=list)

    @property
    def variance(self):
        return self.forecast - self.budget


@dataclass
class TradingAccount:
    financial_year: str
    months: list
    income: list
    expenditure: list
    today: datetime.date

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
        income, spend = self.income_totals, self.expenditure_totals
        return {key: income[key] - spend[key] for key in income}

    def by_month(self):
        """Per month: budgeted, actual (or scheduled) and forecast income and expenditure."""
        rows = []
        for index, month in enumerate(self.months):
            rows.append(
                {
                    "month": month,
                    "budget_income": sum((r.budget_by_month[index] for r in self.income), ZERO),
                    "actual_income": sum((r.actual_by_month[index] for r in self.income), ZERO),
                    "budget_expenditure": sum(
                        (r.budget_by_month[index] for r in self.expenditure), ZERO
                    ),
                    "actual_expenditure": sum(
                        (r.actual_by_month[index] for r in self.expenditure), ZERO
                    ),
                    "forecast_income": sum((r.forecast_by_month[index] for r in self.income), ZERO),
                    "forecast_expenditure": sum(
                        (r.forecast_by_month[index] for r in self.expenditure), ZERO
                    ),
                }
            )
        return rows


UNBUDGETED = {
    ("income", "membership"): "Membership fees",
    ("income", "sales"): "Sales to schools",
    ("income", "other"): "Other income (not budgeted)",
    ("expenditure", "other"): "Other expenditure (not budgeted)",
}


def trading_account(financial_year: str, today: datetime.date | None = None) -> TradingAccount:
    """Budget, actual and forecast by line and by month for one financial year.

    Actual is what the ledger holds for months up to and including this month. The
    forecast is the finance officer's override where given; otherwise the actuals to
    date plus, for each later month, the ledger entries already scheduled for it
    (membership income earned over the year) or, when there are none, the month's budget.
    """
    today = today or datetime.date.today()
    year = FinancialYear.parse(financial_year)
    months = year.months()
    current = today.replace(day=1)
    lines = list(BudgetLine.objects.filter(financial_year=financial_year).order_by("kind", "pk"))
    sums = (
        LedgerEntry.objects.filter(financial_year=financial_year)
        .annotate(month=TruncMonth("entry_date"))
        .values("side", "budget_line", "income_account", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    rows: dict = {}
    for line in lines:
        side = "income" if line.is_income else "expenditure"
        budget_parts = [
            amount for _, amount in rules.apportion_by_month(line.amount, months[0], months[-1])
        ]
        rows[("line", line.pk)] = AccountRow(
            label=line.name,
            side=side,
            code=line.code,
            budget=line.amount,
            line=line,
            budget_by_month=budget_parts,
            actual_by_month=[ZERO] * 12,
        )
    for item in sums:
        month = item["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        index = months.index(month)
        if item["budget_line"]:
            key = ("line", item["budget_line"])
        else:
            bucket = (
                item["income_account"]
                if item["side"] == "income" and item["income_account"]
                else "other"
            )
            key = (item["side"], bucket)
            if key not in rows:
                rows[key] = AccountRow(
                    label=UNBUDGETED[key],
                    side=item["side"],
                    budget_by_month=[ZERO] * 12,
                    actual_by_month=[ZERO] * 12,
                )
        rows[key].actual_by_month[index] += money(item["total"])
    for row in rows.values():
        row.actual = sum(
            (
                amount
                for month, amount in zip(months, row.actual_by_month, strict=True)
                if month <= current
            ),
            ZERO,
        )
        row.forecast_by_month = [
            actual if month <= current else (actual or budget)
            for month, budget, actual in zip(
                months, row.budget_by_month, row.actual_by_month, strict=True
            )
        ]
        later = [index for index, month in enumerate(months) if month > current]
        if row.line is not None and row.line.forecast_override is not None and later:
            # The officer's figure for the year: what is left after the actuals, spread
            # evenly over the months still to come.
            rest = rules.apportion_by_month(
                row.line.forecast_override - row.actual, months[later[0]], months[-1]
            )
            for index, (_, amount) in zip(later, rest, strict=True):
                row.forecast_by_month[index] = amount
            row.overridden = True
        row.forecast = (
            row.line.forecast_override if row.overridden else sum(row.forecast_by_month, ZERO)
        )
    ordered = sorted(
        rows.values(), key=lambda r: (r.line is None, r.line.kind if r.line else "", r.label)
    )
    return TradingAccount(
        financial_year=financial_year,
        months=months,
        income=[r for r in ordered if r.side == "income"],
        expenditure=[r for r in ordered if r.side == "expenditure"],
        today=today,
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


def ledger_export_rows(start: datetime.date, end: datetime.date):
    """Rows for the council's finance system: date, account code, cost centre, description,
    amount (income positive, expenditure negative), reference."""
    entries = LedgerEntry.objects.filter(entry_date__gte=start, entry_date__lte=end).order_by(
        "entry_date", "pk"
    )
    for entry in entries:
        account = account_for(account_key(entry))
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
    """The financial year a partnership file's budget belongs to: the one its academic year
    starts in (2026/27 -> 2026-27)."""
    return str(FinancialYear.containing(AcademicYear.parse(academic_year).starts_on))


def academic_year_of_budget(financial_year: str) -> str:
    """The academic year whose partnership file budgets this financial year (2026-27 -> 2026/27)."""
    return str(AcademicYear(FinancialYear.parse(financial_year).start_year))


def ledger_entries():
    """The ledger, each entry marked `is_reversed` (one query, whatever the number of rows)."""
    # Only reversals: the database then looks through those, not every entry's empty link.
    reversed_ids = LedgerEntry.objects.filter(reverses__isnull=False, reverses=OuterRef("pk"))
    return LedgerEntry.objects.select_related("budget_line").annotate(
        is_reversed=Exists(reversed_ids)
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
        live = cache.get(job_progress_key(job.pk))
        if live:
            job.done, job.total, job.message = live["done"], live["total"], live["message"]
    return job
