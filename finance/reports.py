"""The finance reports: trading account statement, break-even, funding scenarios, costing.

Each report is built once as plain values and then shown as a page, downloaded as
CSV or XLSX (tablib) or rendered to PDF by a Celery task.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.db.models import Count, Sum

from partnership.money import csv_money, format_money, pounds
from schools.models import School

from . import rules
from .selectors import (
    budget_totals,
    budget_year_named,
    costing_rows,
    financial_year_of,
    membership_fees_credited,
    trading_account,
)

CATEGORY_LABELS = {
    "primary": "Primary",
    "secondary": "Secondary",
    "special": "Special",
    "other": "Other (nursery, all-through, AP, 16 plus)",
}


@dataclass(frozen=True)
class BreakEvenReport:
    """Break-even for one partnership year's budget, and its surplus or deficit.

    Members are the schools that signed for the year, whether approved, since lapsed or
    awaiting approval: after the year ends it still counts them, as its income does.
    """

    academic_year: str
    financial_year: str  # the financial year the partnership year starts in (titles, links)
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    result: rules.BreakEven
    additional_costs: Decimal
    members: object  # membership.selectors.YearMembers
    pledges: list
    bookings_income: Decimal
    credited: Decimal = Decimal("0.00")  # credit notes against the members' invoices

    @property
    def member_schools(self):
        return self.members.schools

    @property
    def signed_income(self):
        """The members' frozen fees, less what credit notes have given back."""
        return self.members.fees - self.credited

    @property
    def pledged_schools(self):
        return len(self.pledges)

    @property
    def pledged_income(self):
        return sum((p.fee for p in self.pledges if p.fee is not None), Decimal("0.00"))

    @property
    def unvalued_pledges(self):
        return [p for p in self.pledges if p.fee is None]

    @property
    def total_costs(self):
        return self.result.core_costs + self.additional_costs

    @property
    def expected_income(self):
        return (
            self.result.budgeted_income
            + self.signed_income
            + self.pledged_income
            + self.bookings_income
        )

    @property
    def surplus(self):
        """Surplus (a deficit negative) = expected income − budgeted costs of the year."""
        return rules.surplus(self.expected_income, self.total_costs)


def break_even_report(academic_year: str, average_fee=None) -> BreakEvenReport:
    """Break-even for the partnership year's budget (partnership-file.md's rules).

    Pupils are those of the year's member schools at its census. The average fee, unless
    given, is the average full-year fee of those members (a mid-year joiner's fee counts
    as its twelve-month fee), so the schools-needed figure is schools paying a whole year.
    Pledges are schools that said "yes" and have signed nothing, each at its chosen tier's
    fee. Bookings are the chargeable deliveries of the year so far.
    """
    from membership.selectors import pledges, year_members, year_named
    from offers.selectors import school_charges_total

    membership_year = year_named(academic_year)
    totals = budget_totals(academic_year)
    members = year_members(membership_year)
    if average_fee is None:
        average_fee = members.average_full_year_fee
    period = membership_year.period if membership_year else None
    bookings = school_charges_total(period.starts_on, period.ends_on) if period else Decimal("0.00")
    result = rules.break_even(
        core_costs=totals["core"],
        budgeted_income=totals["income"],
        total_pupils=members.pupils,
        average_fee=average_fee or None,
    )
    return BreakEvenReport(
        academic_year=academic_year,
        financial_year=financial_year_of(academic_year),
        starts_on=period.starts_on if period else None,
        ends_on=period.ends_on if period else None,
        result=result,
        additional_costs=totals["additional"],
        members=members,
        pledges=pledges(membership_year) if membership_year else [],
        bookings_income=bookings,
        credited=membership_fees_credited(membership_year) if membership_year else Decimal("0.00"),
    )


def break_even_dataset(report: BreakEvenReport) -> tablib.Dataset:
    r = report.result
    data = tablib.Dataset(headers=["Measure", "Value"], title="Break-even")
    rows = [
        ("Partnership year", report.academic_year),
        ("Financial year it starts in", report.financial_year),
        ("Core costs", pounds(r.core_costs)),
        ("Budgeted income", pounds(r.budgeted_income)),
        ("Membership income needed", pounds(r.membership_income_needed)),
        ("Member schools", report.member_schools),
        ("Of which awaiting approval", report.members.awaiting_approval),
        ("Pupils in member schools", r.total_pupils),
        (
            "Break-even fee per pupil",
            pounds(r.per_pupil_rate) if r.per_pupil_rate is not None else "",
        ),
        ("Average fee", pounds(r.average_fee) if r.average_fee is not None else ""),
        ("Schools needed to break even", r.schools_needed if r.schools_needed is not None else ""),
        ("Additional offer costs", pounds(report.additional_costs)),
        ("Signed membership fees", pounds(report.signed_income)),
        ("Membership fees credited", pounds(report.credited)),
        ("Schools pledged", report.pledged_schools),
        ("Pledged fees", pounds(report.pledged_income)),
        ("Bookings income", pounds(report.bookings_income)),
        ("Expected income", pounds(report.expected_income)),
        ("Total costs", pounds(report.total_costs)),
        ("Surplus or deficit (a deficit negative)", pounds(report.surplus)),
    ]
    for row in rows:
        data.append(row)
    return data


def trading_account_dataset(financial_year: str, today=None) -> tablib.Dataset:
    account = trading_account(financial_year, today)
    data = tablib.Dataset(
        headers=["Side", "Code", "Line", "Budget", "Actual", "Forecast", "Variance"],
        title=f"Trading account {financial_year}",
    )
    for row in account.income + account.expenditure:
        data.append(
            [
                row.side.capitalize(),
                row.code,
                row.label,
                pounds(row.budget),
                pounds(row.actual),
                pounds(row.forecast),
                pounds(row.variance),
            ]
        )
    surplus = account.surplus
    data.append(
        [
            "",
            "",
            "Surplus or deficit (a deficit negative)",
            pounds(surplus["budget"]),
            pounds(surplus["actual"]),
            pounds(surplus["forecast"]),
            pounds(surplus["forecast"] - surplus["budget"]),
        ]
    )
    return data


def trading_account_csv(financial_year: str, today=None) -> str:
    """partnership-file.md: `side,code,name,budget,actual,forecast`, one row per line, then
    the income, expenditure and surplus totals (a deficit negative). The page's figures."""
    account = trading_account(financial_year, today)
    data = tablib.Dataset(headers=["side", "code", "name", "budget", "actual", "forecast"])
    for row in account.income + account.expenditure:
        data.append(
            [row.side, row.code, row.label]
            + [csv_money(getattr(row, key)) for key in ("budget", "actual", "forecast")]
        )
    for name, figures in (
        ("income", account.income_totals),
        ("expenditure", account.expenditure_totals),
        ("surplus", account.surplus),
    ):
        data.append(
            ["total", name, ""]
            + [csv_money(figures[key]) for key in ("budget", "actual", "forecast")]
        )
    return data.export("csv", lineterminator="\n")


BY_MONTH_COLUMNS = {
    "budget_income": "Budgeted income",
    "actual_income": "Actual income",
    "forecast_income": "Forecast income",
    "budget_expenditure": "Budgeted expenditure",
    "actual_expenditure": "Actual expenditure",
    "forecast_expenditure": "Forecast expenditure",
}


def trading_account_by_month_dataset(financial_year: str, today=None) -> tablib.Dataset:
    account = trading_account(financial_year, today)
    data = tablib.Dataset(headers=["Month", *BY_MONTH_COLUMNS.values()], title="By month")
    for row in account.by_month():
        data.append([f"{row['month']:%Y-%m}", *(pounds(row[key]) for key in BY_MONTH_COLUMNS)])
    return data


def costing_dataset(year: str) -> tablib.Dataset:
    """partnership-file.md: `code,name,kind,quantity,unit_cost,amount`, then the three totals,
    for one partnership year's budget (2026/27, or the one starting in FY 2026-27)."""
    lines, totals = costing_rows(budget_year_named(year))
    data = tablib.Dataset(
        headers=["code", "name", "kind", "quantity", "unit_cost", "amount"], title="Costing"
    )
    for line in lines:
        data.append(
            [
                line.code,
                line.name,
                line.kind,
                # Numbers, written as the contract's CSV has them ("20", "600.00").
                Decimal(f"{line.quantity.normalize():f}"),
                pounds(line.unit_cost),
                pounds(line.amount),
            ]
        )
    for kind in ("core", "additional", "all"):
        data.append(["total", kind, "", "", "", pounds(totals[kind])])
    return data


def costing_csv(year: str) -> str:
    return costing_dataset(year).export("csv", lineterminator="\n")


# --- Funding scenarios ------------------------------------------------------------------------


def register_by_category(census_date: datetime.date):
    """Open schools and their pupils by scenario category (two numbers per category), counted
    in the database by school category."""
    rows = (
        School.objects.open()
        .with_pupils_at(census_date)
        .order_by()
        .values("category")
        .annotate(schools=Count("pk"), pupils_total=Sum("pupils"))
    )
    found = {key: {"schools": 0, "pupils": 0} for key in CATEGORY_LABELS}
    for row in rows:
        key = row["category"] if row["category"] in ("primary", "secondary", "special") else "other"
        found[key]["schools"] += row["schools"]
        found[key]["pupils"] += row["pupils_total"] or 0
    return found


@dataclass(frozen=True)
class ScenarioInputs:
    take_up: dict  # category -> percent of the register's schools that join (every option)
    fees_by_type: dict  # option 1: category -> fee per school
    discounted_sales_percent: Decimal  # option 1: additional costs its discounted sales recover
    basic_fee: Decimal  # option 2: every member
    tiers: tuple  # option 2: rules.TierTakeUp for the standard and advanced tiers
    tier_sales_percent: Decimal  # option 2: additional costs recovered by sales beyond the tiers
    core_per_pupil: Decimal  # option 3


OPTION_NAMES = (
    "Option 1: single fee by type of school",
    "Option 2: basic fee plus tiers by level of support",
    "Option 3: core only plus pay as you go",
)


def _percent(value) -> str:
    """50.0 -> "50%", 12.5 -> "12.5%"."""
    return f"{Decimal(value).normalize():f}%"


def scenarios(
    financial_year: str, register: dict, inputs: ScenarioInputs
) -> list[rules.ScenarioResult]:
    """The Hillingdon review's three funding options on this year's budget and the register.

    1. A single fee for every member by type of school; the additional offer sold to
       members at a discount.
    2. A basic fee for every member, plus the extra fee of a higher tier (standard or
       advanced) for the share of members who take it; what the tiers do not include sold.
    3. Core only: a fee per pupil against the core costs; each provider sells (and costs)
       the additional offer itself, so neither its costs nor its sales are the partnership's.
    """
    totals = budget_totals(budget_year_named(financial_year))

    def categories(fee_of, per_pupil=Decimal("0")):
        return [
            rules.CategoryTakeUp(
                category=key,
                schools=register[key]["schools"],
                pupils=register[key]["pupils"],
                take_up_percent=inputs.take_up[key],
                fee=fee_of(key),
                per_pupil=per_pupil,
            )
            for key in CATEGORY_LABELS
        ]

    common = {
        "core_costs": totals["core"],
        "additional_costs": totals["additional"],
        "other_income": totals["income"],
    }
    additional = format_money(totals["additional"])
    fees = ", ".join(
        f"{CATEGORY_LABELS[key].split(' (')[0].lower()} {format_money(inputs.fees_by_type[key])}"
        for key in CATEGORY_LABELS
    )
    tiers = "; ".join(
        f"{_percent(tier.share_percent)} of members also pay {format_money(tier.extra_fee)} "
        f"for the {tier.name.lower()} tier"
        for tier in inputs.tiers
    )
    return [
        rules.scenario(
            name=OPTION_NAMES[0],
            categories=categories(lambda key: inputs.fees_by_type[key]),
            additional_sales_percent=inputs.discounted_sales_percent,
            how=(
                f"Each member pays the fee for its type of school ({fees}); the additional "
                "offer is sold to members at a discount, its sales bringing in "
                f"{_percent(inputs.discounted_sales_percent)} of its {additional} costs."
            ),
            **common,
        ),
        rules.scenario(
            name=OPTION_NAMES[1],
            categories=categories(lambda key: inputs.basic_fee),
            tiers=inputs.tiers,
            additional_sales_percent=inputs.tier_sales_percent,
            how=(
                f"Each member pays the basic fee of {format_money(inputs.basic_fee)}; {tiers}; "
                "sales of what the tiers do not include bring in "
                f"{_percent(inputs.tier_sales_percent)} of the additional offer's "
                f"{additional} costs."
            ),
            **common,
        ),
        rules.scenario(
            name=OPTION_NAMES[2],
            categories=categories(lambda key: Decimal("0"), inputs.core_per_pupil),
            include_additional=False,
            how=(
                f"Each member pays {format_money(inputs.core_per_pupil)} a pupil for the core "
                "offer; only the core costs count, because each provider sells and costs the "
                "additional offer itself."
            ),
            **common,
        ),
    ]


def scenarios_dataset(results) -> tablib.Dataset:
    data = tablib.Dataset(
        headers=[
            "Option",
            "Members",
            "Membership income",
            "Other income",
            "Sales income",
            "Income",
            "Costs",
            "Surplus or deficit (a deficit negative)",
            "How it was worked out",
        ],
        title="Funding scenarios",
    )
    for r in results:
        data.append(
            [
                r.name,
                r.members,
                pounds(r.membership_income),
                pounds(r.other_income),
                pounds(r.sales_income),
                pounds(r.income),
                pounds(r.costs),
                pounds(r.surplus),
                r.how,
            ]
        )
    return data


def scenario_report(data: dict):
    """The three options on the cleaned ScenarioForm data: (results, register rows for display)."""
    from membership.selectors import year_named

    year = data["financial_year"]
    membership_year = year_named(budget_year_named(year))
    census = membership_year.census_date if membership_year else datetime.date.today()
    register = register_by_category(census)
    inputs = ScenarioInputs(
        take_up={key: data[f"take_up_{key}"] for key in CATEGORY_LABELS},
        fees_by_type={key: data[f"fee_{key}"] for key in CATEGORY_LABELS},
        discounted_sales_percent=data["discounted_sales_percent"],
        basic_fee=data["basic_fee"],
        tiers=(
            rules.TierTakeUp("Standard", data["standard_fee"], data["standard_take_up"]),
            rules.TierTakeUp("Advanced", data["advanced_fee"], data["advanced_take_up"]),
        ),
        tier_sales_percent=data["tier_sales_percent"],
        core_per_pupil=data["core_per_pupil"],
    )
    rows = [(CATEGORY_LABELS[key], value) for key, value in register.items()]
    return scenarios(year, register, inputs), rows
