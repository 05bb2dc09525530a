"""Three-year plans: start one from a year's budget and members, change it, read its years.

A plan (models.Plan) is a saved scenario: what the partnership expects of the LA's
contribution, its members, its fee and its costs over three years. The figures of each
year are worked out by `rules.plan_years`, the break-even by `rules.break_even`; nothing
here defines a figure of its own.
"""

from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.db import transaction

from partnership.calendars import AcademicYear
from partnership.money import format_money, money, pounds, surplus_words

from . import rules
from .models import BudgetLine, Plan, PlanLine, PlanYear

# The budget's income lines that are the LA's contribution to the partnership: a plan
# steps them down year by year instead of carrying them (partnership-file.md's example
# names it `la-contribution`).
LA_CONTRIBUTION_CODES = ("la-contribution",)
BOOKINGS_CODE = "bookings-sales"
BOOKINGS_NAME = "Sales to schools (bookings)"


def plan_year_names(base_year: str) -> list[str]:
    """The partnership years of a plan: 2026/27, 2027/28, 2028/29."""
    first = AcademicYear.parse(base_year)
    return [str(AcademicYear(first.start_year + offset)) for offset in range(rules.PLAN_YEARS)]


def base_years() -> list[str]:
    """The partnership years a plan may start from: those with a budget, newest first."""
    years = BudgetLine.objects.values_list("budget_year", flat=True).distinct().order_by()
    return sorted(set(years), reverse=True)


@transaction.atomic
def start_plan(*, name: str, base_year: str, created_by=None, file_years=None) -> Plan:
    """A new plan whose year 1 is `base_year` as the break-even report has it.

    Its members are the year's members and valued pledges, and their fees are the signed
    fees (less credit notes) and the pledges' fees, so year 1 brings in what the report
    expects. Its lines are the year's budget lines, the LA's contribution apart, and the
    bookings sold so far as an income line. Every year starts as year 1 (the same LA
    contribution and members, no uplift) unless `file_years` (the partnership file's
    `plan.years`) says otherwise; the officer then steps it down.
    """
    from .reports import break_even_report

    report = break_even_report(base_year)
    valued = [pledge for pledge in report.pledges if pledge.fee is not None]
    budget = list(BudgetLine.objects.filter(budget_year=base_year).order_by("kind", "pk"))
    la = sum(
        (line.amount for line in budget if line.code in LA_CONTRIBUTION_CODES), Decimal("0.00")
    )
    plan = Plan.objects.create(
        name=name,
        base_year=base_year,
        starting_members=report.member_schools + len(valued),
        # A year whose credit notes gave back more than its fees starts from nothing.
        starting_fees=max(money(report.signed_income + report.pledged_income), Decimal("0.00")),
        created_by=created_by,
    )
    lines = [
        PlanLine(plan=plan, code=line.code, name=line.name, kind=line.kind, amount=line.amount)
        for line in budget
        if line.code not in LA_CONTRIBUTION_CODES
    ]
    if report.bookings_income:
        # ASSUMPTION: later years sell as much as the base year has so far; the officer
        # changes it when the year's sales are known.
        lines.append(
            PlanLine(
                plan=plan,
                code=BOOKINGS_CODE,
                name=BOOKINGS_NAME,
                kind=BudgetLine.Kind.INCOME,
                amount=report.bookings_income,
            )
        )
    for line in lines:
        line.save()  # one by one, so each line's history has its "created" row
    given = list(file_years or [])
    for number in range(1, rules.PLAN_YEARS + 1):
        year = given[number - 1] if number <= len(given) else {}
        PlanYear.objects.create(
            plan=plan,
            number=number,
            la_contribution=year.get("la_contribution", la),
            members=year.get("members", plan.starting_members),
            fee_uplift_percent=year.get("fee_uplift_percent", Decimal("0")),
            cost_uplift_percent=year.get("cost_uplift_percent", Decimal("0")),
        )
    return plan


@transaction.atomic
def change_plan(*, plan: Plan, data: dict) -> Plan:
    """Save a plan's changed assumptions (forms.PlanForm's cleaned data), all or nothing."""
    for field in ("name", "notes", "starting_members", "starting_fees"):
        setattr(plan, field, data[field])
    plan.save()
    for year in plan.years.all():
        for field in ("la_contribution", "members", "fee_uplift_percent", "cost_uplift_percent"):
            setattr(year, field, data[f"year{year.number}_{field}"])
        year.save()
    for line in plan.lines.all():
        line.amount = data[f"line_{line.pk}"]
        line.save()
    return plan


@transaction.atomic
def copy_plan(*, plan: Plan, name: str, created_by=None) -> Plan:
    """A new plan with the same assumptions, to change and compare with the first."""
    copy = Plan.objects.create(
        name=name,
        base_year=plan.base_year,
        starting_members=plan.starting_members,
        starting_fees=plan.starting_fees,
        notes=plan.notes,
        created_by=created_by,
    )
    for line in plan.lines.all():
        PlanLine.objects.create(
            plan=copy, code=line.code, name=line.name, kind=line.kind, amount=line.amount
        )
    for year in plan.years.all():
        PlanYear.objects.create(
            plan=copy,
            number=year.number,
            la_contribution=year.la_contribution,
            members=year.members,
            fee_uplift_percent=year.fee_uplift_percent,
            cost_uplift_percent=year.cost_uplift_percent,
        )
    return copy


# --- Reading a plan ---------------------------------------------------------------------------


def plans_with_parts():
    return Plan.objects.prefetch_related("years", "lines")


@dataclass(frozen=True)
class PlanFigures:
    plan: Plan
    year_names: list
    years: list  # rules.PlanYearResult, one per year

    def by_year(self):
        return list(zip(self.year_names, self.years, strict=True))

    def line_rows(self, kind_filter):
        """One row per line: its name and its amount in each year."""
        source = [
            y.costs_by_line if kind_filter != "income" else y.other_income for y in self.years
        ]
        rows = []
        for index, (line, _) in enumerate(source[0]):
            if kind_filter == "income" or line.kind == kind_filter:
                rows.append((line.name, [year[index][1] for year in source]))
        return rows

    @property
    def income_rows(self):
        return self.line_rows("income")

    @property
    def core_rows(self):
        return self.line_rows("core")

    @property
    def additional_rows(self):
        return self.line_rows("additional")


def plan_figures(plan: Plan) -> PlanFigures:
    """Each year of the plan worked out (its years and lines prefetched or read here)."""
    lines = [
        rules.PlanLineInput(code=line.code, name=line.name, kind=line.kind, amount=line.amount)
        for line in plan.lines.all()
    ]
    years = [
        rules.PlanYearInput(
            la_contribution=year.la_contribution,
            members=year.members,
            fee_uplift_percent=year.fee_uplift_percent,
            cost_uplift_percent=year.cost_uplift_percent,
        )
        for year in sorted(plan.years.all(), key=lambda year: year.number)
    ]
    results = rules.plan_years(
        starting_members=plan.starting_members,
        starting_fees=plan.starting_fees,
        lines=lines,
        years=years,
    )
    return PlanFigures(plan=plan, year_names=plan_year_names(plan.base_year), years=results)


def _optional(value):
    return "" if value is None else value


def plan_dataset(figures: PlanFigures) -> tablib.Dataset:
    """The plan year by year, as its page shows it: one row per figure, a column per year
    (money in pounds, a deficit negative)."""
    data = tablib.Dataset(headers=["Figure", *figures.year_names], title="Three-year plan")
    years = figures.years

    def row(label, values):
        data.append([label, *values])

    row("Members", [y.members for y in years])
    row("Average fee per member", [pounds(y.average_fee) for y in years])
    row("Membership fees", [pounds(y.membership_income) for y in years])
    row("LA contribution", [pounds(y.la_contribution) for y in years])
    for name, amounts in figures.line_rows("income"):
        row(name, [pounds(a) for a in amounts])
    row("Income", [pounds(y.income) for y in years])
    for kind in ("core", "additional"):
        for name, amounts in figures.line_rows(kind):
            row(name, [pounds(a) for a in amounts])
    row("Costs", [pounds(y.costs) for y in years])
    row("Surplus or deficit (a deficit negative)", [pounds(y.surplus) for y in years])
    row(
        "Membership fees needed to break even",
        [pounds(y.break_even.membership_income_needed) for y in years],
    )
    row("Members needed to break even", [_optional(y.members_to_break_even) for y in years])
    row(
        "Average fee that breaks even",
        [pounds(y.fee_to_break_even) if y.fee_to_break_even is not None else "" for y in years],
    )
    row("Fee uplift that breaks even (%)", [_optional(y.fee_uplift_to_break_even) for y in years])
    return data


@dataclass(frozen=True)
class ComparedYear:
    name: str
    surplus: Decimal
    words: str


def side_by_side(rows) -> list[tuple[str, list]]:
    """compared()'s plans year by year: ("Year 1", each plan's surplus or deficit in words)."""
    return [
        (f"Year {number}", [years[number - 1] for _, years in rows])
        for number in range(1, rules.PLAN_YEARS + 1)
    ]


def compared(plans) -> list[tuple[PlanFigures, list]]:
    """Plans side by side: each plan's figures and its surplus or deficit in words a year."""
    rows = []
    for plan in plans:
        figures = plan_figures(plan)
        rows.append(
            (
                figures,
                [
                    ComparedYear(name, year.surplus, surplus_words(year.surplus))
                    for name, year in figures.by_year()
                ],
            )
        )
    return rows


# --- A plan's first year beside the break-even report --------------------------------------


@dataclass(frozen=True)
class ComparedFigure:
    label: str
    plan: Decimal | int
    report: Decimal | int
    kind: str = "money"  # or "count", or "surplus" (written as a surplus or deficit)

    @property
    def difference(self):
        return self.plan - self.report


@dataclass(frozen=True)
class PlanAgainstBreakEven:
    """A plan's first year and the break-even report of the same partnership year, figure
    by figure, with the reasons they differ in words. Both work out surplus or deficit the
    one way (rules.surplus: income less costs); they differ in what they count."""

    figures: PlanFigures
    report: object  # reports.BreakEvenReport
    rows: list
    reasons: list

    @property
    def year_name(self):
        return self.figures.year_names[0]

    @property
    def plan_surplus(self):
        return self.figures.years[0].surplus

    @property
    def report_surplus(self):
        return self.report.surplus


def against_break_even(figures: PlanFigures, report) -> PlanAgainstBreakEven:
    """Year 1 of the plan beside the break-even report of its base year.

    The plan counts the members and fees it assumes; the report counts the schools that
    have signed (or pledged) for the year so far and their fees, so the two surpluses
    differ by the fees of the members assumed but not yet signed, and by any other income
    or cost the plan carries differently (bookings as sold so far, an LA contribution
    stepped down, costs uplifted)."""
    from partnership.words import count_of

    year = figures.years[0]
    pledged = [pledge for pledge in report.pledges if pledge.fee is not None]
    counted = report.member_schools + len(pledged)
    rows = [
        ComparedFigure("Member schools counted", year.members, counted, kind="count"),
        ComparedFigure(
            "Membership fees",
            year.membership_income,
            report.signed_income + report.pledged_income,
        ),
        ComparedFigure(
            "Other income (LA, grants, bookings)",
            year.la_contribution + year.other_income_total,
            report.result.budgeted_income + report.bookings_income,
        ),
        ComparedFigure("Costs", year.costs, report.total_costs),
        ComparedFigure("Surplus or deficit", year.surplus, report.surplus, kind="surplus"),
    ]
    members, fees, other, costs, result = rows
    name = figures.year_names[0]
    reasons = [
        f"The plan assumes {count_of(year.members, 'member school')} in {name}, paying "
        f"{format_money(year.membership_income)} in fees. The break-even report counts "
        f"{count_of(counted, 'school')} signed or pledged for {name} so far "
        f"({report.member_schools} signed, {len(pledged)} pledged), paying "
        f"{format_money(fees.report)}."
    ]
    if fees.difference:
        main = abs(fees.difference) >= abs(other.difference) + abs(costs.difference)
        reasons.append(
            f"So the plan expects {format_money(abs(fees.difference))} "
            f"{'more' if fees.difference > 0 else 'less'} in membership fees than has been "
            f"signed or pledged{': the main difference between the two' if main else ''}."
        )
    if other.difference:
        reasons.append(
            f"Other income differs by {format_money(abs(other.difference))}: the plan carries "
            f"its LA contribution and income lines ({format_money(other.plan)}), the report "
            f"the year's budgeted income ({format_money(report.result.budgeted_income)}) and "
            f"the bookings charged so far ({format_money(report.bookings_income)})."
        )
    if costs.difference:
        reasons.append(
            f"Costs differ by {format_money(abs(costs.difference))}: the plan's costs are its "
            f"own lines, uplifted or changed since it was started ({format_money(costs.plan)}), "
            f"the report's the year's budget ({format_money(costs.report)})."
        )
    needed, report_needed = year.members_to_break_even, report.result.schools_needed
    if needed is not None and report_needed is not None and needed != report_needed:
        reasons.append(
            f"The break-even report's {count_of(report_needed, 'school')} to break even pay "
            f"for the core costs ({format_money(report.result.core_costs)}) less the budgeted "
            "income, as the partnership file's rule has it (bookings pay for the additional "
            f"offer); the plan's {count_of(needed, 'member')} pay for every cost, core and "
            f"additional ({format_money(year.costs)}), less its other income."
        )
    reasons.append(
        "Both work out the surplus or deficit the same way, income less costs, as the "
        f"trading account does: {surplus_words(result.plan)} in the plan and "
        f"{surplus_words(result.report)} on what is signed and pledged."
    )
    return PlanAgainstBreakEven(figures=figures, report=report, rows=rows, reasons=reasons)


def plans_against_break_even(report) -> list[PlanAgainstBreakEven]:
    """Every plan that starts from the report's partnership year, beside it."""
    return [
        against_break_even(plan_figures(plan), report)
        for plan in plans_with_parts().filter(base_year=report.academic_year).order_by("name")
    ]
