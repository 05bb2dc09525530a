"""Pure money rules of the trading account. Plain values in, plain values out; no database."""

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from partnership.calendars import FinancialYear, first_of_month
from partnership.money import format_money, money, money_up

# The largest amount a money column holds (models.MONEY: 12 digits, 2 of them pence). A bigger
# amount is refused by name in the form and the service, not left to the database to fail on.
LARGEST_AMOUNT = Decimal("9999999999.99")


def amount_problem(amount, field: str, *, allow_negative=False) -> str:
    """Why an amount cannot be stored, or "" when it can: `field` names it, like "Amount"."""
    largest = f"£{LARGEST_AMOUNT:,.2f}"
    if abs(Decimal(amount)) <= LARGEST_AMOUNT:
        return ""
    if allow_negative:
        return f"{field} must be between -{largest} and {largest}"
    return f"{field} must be {largest} or less"


def months_between(start: date, end: date) -> list[date]:
    """First day of each month from start's month to end's month, inclusive."""
    count = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
    if count < 1:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    return [first_of_month(start, offset) for offset in range(count)]


def apportion_by_month(amount, start: date, end: date) -> list[tuple[date, Decimal]]:
    """Spread an amount evenly over the months from start to end, to the penny.

    Each month's part is the difference between the rounded running totals, so the
    parts always add up exactly to the amount (£1,000 over 12 months: 83.33, 83.34,
    83.33, ...). A 2026/27 membership (September to August) earns 7/12 in FY 2026-27
    and 5/12 in FY 2027-28; a mid-year joiner's fee is spread over its own months.
    """
    total = money(amount)
    months = months_between(start, end)
    parts = []
    previous = Decimal("0.00")
    for index, month in enumerate(months, start=1):
        running = money(total * index / len(months))
        parts.append((month, running - previous))
        previous = running
    return parts


# The source suffix of an academy's part of a membership that spans its school's conversion
# ("membership:12" is the maintained school's part, or the whole fee).
ACADEMY_PART = ":academy"


def split_at_conversion(
    amount, start: date, end: date, converts_on: date
) -> tuple[Decimal, Decimal]:
    """A fee for start to end, split where a maintained school becomes an academy:
    (the maintained school's share, the academy's share).

    The fee is spread by month as the ledger earns it (apportion_by_month); the months
    before the conversion month are the maintained school's, the rest the academy's.
    Academies convert on the first of a month; a later day in the month counts from that
    month (an ASSUMPTION: the academy is billed for the month it opened in). A conversion
    on or before the start gives the academy everything; after the end, nothing.
    """
    total = money(amount)
    if converts_on <= start:
        return Decimal("0.00"), total
    if converts_on > end:
        return total, Decimal("0.00")
    first_academy_month = first_of_month(converts_on)
    before = sum(
        (
            part
            for month, part in apportion_by_month(total, start, end)
            if month < first_academy_month
        ),
        Decimal("0.00"),
    )
    return before, total - before


def conversion_rebill(
    billed, credited, start: date, end: date, converts_on: date
) -> tuple[Decimal, date] | None:
    """What to move to the academy when a membership was invoiced to the maintained school
    before its conversion was known: (the amount to credit the school and bill the academy,
    the first day the academy is billed for), or None when nothing moves.

    What is still owed on the line (billed less earlier credits) is split by the months it
    is earned in (split_at_conversion); the academy's months move. A conversion after the
    line's last day moves nothing; on or before its first day, all of it.
    """
    owed = money(billed) - money(credited)
    if owed <= 0:
        return None
    _school_part, academy_part = split_at_conversion(owed, start, end, converts_on)
    if academy_part <= 0:
        return None
    return academy_part, max(start, first_of_month(converts_on))


def billed_school_on(school, conversion, day: date):
    """Who pays for what is delivered (or charged) on a day: the academy a maintained school
    became, from the day it converted, else the school itself. A booking made after the
    conversion is delivered after it, so it is always the academy's; one made before and
    delivered after is too, as the academy took over the school's contracts (an
    ASSUMPTION, as commercial transfer agreements do)."""
    if conversion is not None and day >= conversion.converts_on:
        return conversion.academy
    return school


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_amounts(quantity, unit_price, vat_rate) -> LineAmounts:
    """Net = quantity × unit price; VAT = net × rate %; each rounded to the penny."""
    net = money(Decimal(quantity) * Decimal(unit_price))
    vat = money(net * Decimal(vat_rate) / 100)
    return LineAmounts(net=net, vat=vat, gross=net + vat)


INTERNAL_RECHARGE = "internal_recharge"
EXTERNAL_INVOICE = "external_invoice"
LA_TRADING_ACCOUNT = "la_trading_account"


def billing_for(legal_form: str, school) -> str:
    """How a charge is billed: by internal recharge or by an external invoice.

    Only a partnership run as a trading account inside the council can move money between
    the council's own budgets, so only it recharges internally: its maintained schools
    and the LA itself (`school` None: support the LA commissioned). Academies are
    separate bodies. A schools-led company (`company`) is outside the council: every
    school, and the LA, gets an external invoice.
    """
    if legal_form != LA_TRADING_ACCOUNT:
        return EXTERNAL_INVOICE
    if school is None or school.is_maintained:
        return INTERNAL_RECHARGE
    return EXTERNAL_INVOICE


def due_date(issue_date: date, payment_terms_days: int) -> date:
    return issue_date + timedelta(days=payment_terms_days)


def financial_date_range(today: date) -> tuple[date, date]:
    """The first and last day a financial record may be dated: this financial year and the
    one either side (1 April 2025 to 31 March 2028 while today is in 2026-27)."""
    this_year = FinancialYear.containing(today)
    return (
        FinancialYear(this_year.start_year - 1).starts_on,
        FinancialYear(this_year.start_year + 1).ends_on,
    )


def financial_date_problem(day: date, today: date, field: str) -> str:
    """Why `day` cannot date a payment, journal, credit note or invoice, or "" when it can.

    Every form and service that dates a financial record asks this. A date outside this
    financial year and the one either side is a typing mistake (0001-01-01, 9999-12-31),
    and a financial record, once written, is never edited: so it is refused up front.
    `field` names the date for the person, like "The date received".
    """
    earliest, latest = financial_date_range(today)
    if earliest <= day <= latest:
        return ""
    return (
        f"{field} must be between {earliest.day} {earliest:%B %Y} and "
        f"{latest.day} {latest:%B %Y} (the financial years "
        f"{FinancialYear.containing(earliest)} to {FinancialYear.containing(latest)})"
    )


def received_on_problem(received_on: date, today: date) -> str:
    """Why a payment date cannot be recorded, or "" when it can: money is recorded as
    received, so a date after today is a mistake."""
    if received_on > today:
        return f"The date received cannot be after today ({today.day} {today:%B %Y})"
    return ""


def run_month_problem(month: date, today: date) -> str:
    """Why a monthly invoice run for `month` cannot start, or "" when it can: a month
    that has not started has nothing delivered in it to invoice."""
    first = month.replace(day=1)
    if first > today:
        return (
            f"{first:%B %Y} has not started yet: bookings can be invoiced once the month has begun"
        )
    return ""


def invoice_status(*, gross, credited, paid, due: date, today: date) -> str:
    """Issued, part paid, paid, credited or overdue, from the invoice's figures.

    Fully credited wins; then nothing left to pay is paid; money still owed after the
    due date is overdue; some paid or credited is part paid.
    """
    balance = gross - credited - paid
    if credited >= gross:
        return "credited"
    if balance <= 0:
        return "paid"
    if due < today:
        return "overdue"
    if paid > 0 or credited > 0:
        return "part_paid"
    return "issued"


@dataclass(frozen=True)
class BreakEven:
    core_costs: Decimal
    budgeted_income: Decimal
    membership_income_needed: Decimal
    total_pupils: int
    per_pupil_rate: Decimal | None
    average_fee: Decimal | None
    schools_needed: int | None

    def income_with(self, schools) -> Decimal:
        """Budgeted income plus `schools` members each paying the average fee: the income
        the break-even chart draws, which meets the core costs at schools_needed."""
        return money(self.budgeted_income + schools * (self.average_fee or 0))


def surplus(income, costs) -> Decimal:
    """Surplus (a deficit negative) = income − costs, each to the penny: the one definition
    of surplus or deficit that the trading account, the break-even report, scenarios and
    three-year plans all use (and `partnership.money.surplus_words` writes)."""
    return money(income) - money(costs)


def break_even(*, core_costs, budgeted_income, total_pupils: int, average_fee=None) -> BreakEven:
    """The partnership-file.md break-even rules.

    Membership income needed = core costs − budgeted income. The break-even per-pupil
    rate is that amount / total pupils of the member schools, rounded UP to the penny
    (a rate that falls short by a fraction of a penny would not break even). The
    break-even number of schools at an average fee is that amount / the fee, rounded up.
    """
    needed = money(core_costs) - money(budgeted_income)
    rate = money_up(needed / total_pupils) if total_pupils else None
    schools = None
    if average_fee:
        schools = max(0, math.ceil(needed / Decimal(average_fee)))
    return BreakEven(
        core_costs=money(core_costs),
        budgeted_income=money(budgeted_income),
        membership_income_needed=needed,
        total_pupils=total_pupils,
        per_pupil_rate=rate,
        average_fee=money(average_fee) if average_fee else None,
        schools_needed=schools,
    )


@dataclass(frozen=True)
class CategoryTakeUp:
    """A category of schools in a scenario: how many, their pupils, and who takes it up."""

    category: str
    schools: int
    pupils: int
    take_up_percent: Decimal
    fee: Decimal  # per school
    per_pupil: Decimal = Decimal("0")


@dataclass(frozen=True)
class TierTakeUp:
    """A higher membership tier (option 2): what it adds to the basic fee, and the share
    of members who take it."""

    name: str
    extra_fee: Decimal  # per member, on top of the basic fee
    share_percent: Decimal  # of the members


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    members: Decimal
    membership_income: Decimal
    other_income: Decimal
    sales_income: Decimal
    costs: Decimal
    how: str = ""  # one sentence saying how the option was worked out

    @property
    def income(self):
        return self.membership_income + self.other_income + self.sales_income

    @property
    def surplus(self):
        return surplus(self.income, self.costs)


def scenario(
    *,
    name,
    categories: list[CategoryTakeUp],
    core_costs,
    additional_costs,
    other_income,
    additional_sales_percent=Decimal("0"),
    include_additional=True,
    tiers: tuple[TierTakeUp, ...] = (),
    how="",
) -> ScenarioResult:
    """Income against costs for one funding option.

    Each category's members are schools × take-up % (fractions kept: it is an
    expectation, not a head count); each member pays its fee plus pupils × per-pupil
    rate, and the members on a higher tier (a share of all members) pay its extra fee
    too. When the option sells the additional offer, its costs count and sales recover
    `additional_sales_percent` of them; core-only pay-as-you-go leaves both out, because
    providers then sell and cost the additional offer themselves. Rounded to the penny
    once, at the end.
    """
    members = Decimal("0")
    membership_income = Decimal("0")
    for category in categories:
        share = Decimal(category.take_up_percent) / 100
        members += category.schools * share
        average_pupils = Decimal(category.pupils) / category.schools if category.schools else 0
        fee = Decimal(category.fee) + Decimal(category.per_pupil) * average_pupils
        membership_income += category.schools * share * fee
    for tier in tiers:
        membership_income += members * Decimal(tier.share_percent) / 100 * Decimal(tier.extra_fee)
    costs = money(core_costs) + (money(additional_costs) if include_additional else 0)
    sales = (
        money(Decimal(additional_costs) * Decimal(additional_sales_percent) / 100)
        if include_additional
        else Decimal("0.00")
    )
    return ScenarioResult(
        name=name,
        members=members.quantize(Decimal("0.1")),
        membership_income=money(membership_income),
        other_income=money(other_income),
        sales_income=sales,
        costs=money(costs),
        how=how,
    )


# --- Receipts from the bank -------------------------------------------------------------------

RECEIPT_MATCHED = "matched"
RECEIPT_AMOUNT_DIFFERS = "amount_differs"
RECEIPT_UNMATCHED = "unmatched"
# Between the parts of an invoice number a payer may type a space, slash or dot, or nothing.
_GAP = r"[\s\-_/.]*"


@dataclass(frozen=True)
class InvoiceToMatch:
    """What matching a receipt needs to know of an invoice (an Invoice annotated with its
    balance, as selectors.invoices_with_status gives it, serves as well)."""

    number: str
    purchase_order: str
    balance: Decimal
    gross_total: Decimal


@dataclass(frozen=True)
class ReceiptMatch:
    outcome: str  # RECEIPT_MATCHED, RECEIPT_AMOUNT_DIFFERS or RECEIPT_UNMATCHED
    invoice: object = None  # matched: the one to record it against; differs: the one named
    reason: str = ""


def invoice_numbers_in(text: str, prefix: str = "INV") -> list[str]:
    """The invoice numbers a bank line's text names, written as the portal writes them.

    Payers type them as they like: inv-2026-27-00012, INV 2026/27 12, INV20262700012; each
    is INV-2026-27-00012. The two years must follow each other (2026-27), so a date or
    an account number is not taken for one.
    """
    letters = _GAP.join(re.escape(char) for char in re.sub(r"[\s\-_/.]", "", prefix))
    pattern = re.compile(
        rf"(?<![A-Za-z0-9]){letters}{_GAP}(\d{{4}}){_GAP}(\d{{2}}){_GAP}(\d{{1,5}})(?!\d)",
        re.IGNORECASE,
    )
    numbers = []
    for start, end, sequence in pattern.findall(text or ""):
        if int(end) != (int(start) + 1) % 100 or not int(sequence):
            continue
        number = f"{prefix}-{start}-{end}-{int(sequence):05d}"
        if number not in numbers:
            numbers.append(number)
    return numbers


def order_key(purchase_order: str) -> str:
    """A purchase order number as matching compares it: letters and digits, upper case."""
    return "".join(re.findall(r"[A-Z0-9]+", (purchase_order or "").upper()))


def order_keys_in(text: str, longest: int = 4) -> set[str]:
    """Every run of up to `longest` neighbouring words of the text, joined, as order keys:
    "PO 4500 123" holds PO4500123, PO4500, 4500123, 4500, 123. A purchase order is found
    whole or not at all, never inside a longer number."""
    words = re.findall(r"[A-Z0-9]+", (text or "").upper())
    return {
        "".join(words[start : start + size])
        for start in range(len(words))
        for size in range(1, longest + 1)
        if start + size <= len(words)
    }


def orders_index(invoices) -> dict[str, list]:
    """Open invoices by purchase order key. An invoice may carry several orders ("PO-1,
    PO-2"); an order of fewer than four characters, or with no digit, is too common a
    string to match a bank line by."""
    index: dict[str, list] = {}
    for invoice in invoices:
        for order in (invoice.purchase_order or "").split(","):
            key = order_key(order)
            if len(key) >= 4 and any(char.isdigit() for char in key):
                index.setdefault(key, []).append(invoice)
    return index


def _differs(invoice, amount: Decimal) -> str:
    balance, gross = money(invoice.balance), money(invoice.gross_total)
    if balance <= 0:
        return f"{invoice.number} has nothing left to pay"
    if amount == gross:
        return (
            f"{format_money(amount)} is {invoice.number}'s total, but only "
            f"{format_money(balance)} is left to pay"
        )
    return f"{invoice.number} has {format_money(balance)} left to pay"


def match_receipt(
    *, text: str, amount, invoices: dict, by_order: dict, prefix: str = "INV"
) -> ReceiptMatch:
    """Which invoice a receipt from the bank pays, if it can be told.

    An invoice number in the text (invoices: number → InvoiceToMatch), or else a purchase
    order number (by_order: see orders_index), AND the amount equal to what is left to pay
    on that invoice: a match. The gross is what is left to pay until something is paid or
    credited; a payment of the gross after that is more than can be recorded, so it is for
    a person to decide, as is any other amount ("amount differs"). Nothing found: unmatched.
    """
    amount = money(amount)
    named = [invoices[n] for n in invoice_numbers_in(text, prefix) if n in invoices]
    if named:
        for invoice in named:
            if money(invoice.balance) > 0 and amount == money(invoice.balance):
                return ReceiptMatch(RECEIPT_MATCHED, invoice)
        return ReceiptMatch(RECEIPT_AMOUNT_DIFFERS, named[0], _differs(named[0], amount))
    keys = order_keys_in(text)
    ordered = []
    for key in sorted(keys & by_order.keys()):
        ordered.extend(invoice for invoice in by_order[key] if invoice not in ordered)
    if not ordered:
        return ReceiptMatch(RECEIPT_UNMATCHED)
    owing = [invoice for invoice in ordered if money(invoice.balance) == amount]
    if len(owing) == 1:
        return ReceiptMatch(RECEIPT_MATCHED, owing[0])
    if owing:
        numbers = ", ".join(invoice.number for invoice in owing)
        return ReceiptMatch(
            RECEIPT_AMOUNT_DIFFERS,
            owing[0],
            f"{len(owing)} invoices with this purchase order have {format_money(amount)} "
            f"left to pay ({numbers}): choose one",
        )
    return ReceiptMatch(RECEIPT_AMOUNT_DIFFERS, ordered[0], _differs(ordered[0], amount))


# --- Three-year plans -------------------------------------------------------------------------

PLAN_YEARS = 3
PERCENT_STEP = Decimal("0.1")


@dataclass(frozen=True)
class PlanYearInput:
    """What a plan assumes for one year: the LA's contribution, the members, and the
    uplifts of the fee and of every cost line over the year before (year 1: over the base
    year's budget)."""

    la_contribution: Decimal
    members: int
    fee_uplift_percent: Decimal
    cost_uplift_percent: Decimal


@dataclass(frozen=True)
class PlanLineInput:
    """A line of the base year's budget: a cost (core or additional) or an income other
    than membership fees and the LA's contribution."""

    code: str
    name: str
    kind: str  # "core", "additional" or "income"
    amount: Decimal


@dataclass(frozen=True)
class PlanYearResult:
    number: int
    members: int
    average_fee: Decimal  # unrounded: what the year's membership income is worked from
    membership_income: Decimal
    la_contribution: Decimal
    other_income: tuple  # (PlanLineInput, amount this year)
    costs_by_line: tuple  # (PlanLineInput, amount this year)
    break_even: BreakEven
    fee_uplift_to_break_even: Decimal | None

    @property
    def other_income_total(self):
        return sum((amount for _, amount in self.other_income), Decimal("0.00"))

    @property
    def income(self):
        return self.membership_income + self.la_contribution + self.other_income_total

    @property
    def costs(self):
        return sum((amount for _, amount in self.costs_by_line), Decimal("0.00"))

    @property
    def surplus(self):
        """Surplus (a deficit negative) = income − costs, as on the trading account."""
        return surplus(self.income, self.costs)

    @property
    def members_to_break_even(self) -> int | None:
        return self.break_even.schools_needed

    @property
    def fee_to_break_even(self) -> Decimal | None:
        """The average fee per member that breaks even: the break-even rule's rate per
        head, with the year's members as the heads."""
        return self.break_even.per_pupil_rate


def _uplift(amount, percent) -> Decimal:
    return Decimal(amount) * (1 + Decimal(percent) / 100)


def plan_years(
    *, starting_members: int, starting_fees, lines: list[PlanLineInput], years: list[PlanYearInput]
) -> list[PlanYearResult]:
    """Each year of a plan: income, costs by line, surplus or deficit, and what breaks even.

    The average fee starts as the base year's fees / its members (kept unrounded, so a
    year 1 with the base year's members and no uplift brings in exactly the base year's
    fees) and each year's fee uplift applies to the year before's. Membership income =
    members × average fee, to the penny. Each cost line starts at its budget and each
    year's cost uplift applies to the year before's amount, rounded to the penny that
    year. Other income lines are carried at their budget. The LA's contribution is the
    year's own figure (it steps down as a partnership becomes traded).

    Break-even is the partnership-file rule (`break_even`) on the year's whole account:
    the costs the fees must cover are every cost line, less every income but fees, so at
    the break-even fee or member count the year's surplus is nil or more. The fee uplift
    that breaks even is the rise over the year before's fee that reaches the break-even
    fee, rounded up to 0.1% (a rise that falls short would not break even).
    """
    fee = Decimal(starting_fees) / starting_members if starting_members else Decimal("0")
    amounts = {line.code: money(line.amount) for line in lines}
    results = []
    for number, year in enumerate(years, start=1):
        previous_fee = fee
        fee = _uplift(fee, year.fee_uplift_percent)
        for line in lines:
            if line.kind != "income":
                amounts[line.code] = money(_uplift(amounts[line.code], year.cost_uplift_percent))
        costs = tuple((line, amounts[line.code]) for line in lines if line.kind != "income")
        other = tuple((line, amounts[line.code]) for line in lines if line.kind == "income")
        la = money(year.la_contribution)
        result = break_even(
            core_costs=sum((amount for _, amount in costs), Decimal("0")),
            budgeted_income=la + sum((amount for _, amount in other), Decimal("0")),
            total_pupils=year.members,
            average_fee=fee or None,
        )
        uplift = None
        if result.membership_income_needed > 0 and result.per_pupil_rate and previous_fee:
            rise = (result.per_pupil_rate / previous_fee - 1) * 100
            uplift = rise.quantize(PERCENT_STEP, rounding=ROUND_CEILING)
        results.append(
            PlanYearResult(
                number=number,
                members=year.members,
                average_fee=fee,
                membership_income=money(year.members * fee),
                la_contribution=la,
                other_income=other,
                costs_by_line=costs,
                break_even=result,
                fee_uplift_to_break_even=uplift,
            )
        )
    return results
