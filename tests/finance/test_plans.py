"""Three-year plans started from a year's budget and members, changed, copied, audited."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from finance import plans
from finance.models import Plan, PlanLine, PlanYear
from finance.reports import break_even_report
from finance.selectors import trading_account
from partnership.partnership_file import load_text

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(db):
    # Hillingdon's costing: core £70,000, additional £128,300, LA contribution £20,000.
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())


@pytest.fixture
def members(budget, join, school_a, school_b, head_a, head_b):
    join(school_a, head_a)  # 420 pupils at £2: £840
    join(school_b, head_b, on=datetime.date(2027, 1, 10))  # 8/12 of £420: £280


def test_a_plan_starts_from_the_years_budget_members_and_la_contribution(members):
    plan = plans.start_plan(name="Steady", base_year="2026/27")
    assert (plan.starting_members, plan.starting_fees) == (2, D("1120.00"))
    assert [(y.number, y.la_contribution, y.members) for y in plan.years.all()] == [
        (1, D("20000.00"), 2),
        (2, D("20000.00"), 2),
        (3, D("20000.00"), 2),
    ]
    # Every budget line but the LA's contribution, which the plan steps down by year.
    assert sorted(plan.lines.values_list("code", flat=True)) == [
        "chair",
        "coordination",
        "extra-lle-sle",
        "peer-review-primary",
        "peer-review-secondary",
        "school-to-school",
        "sle-networks",
        "task-and-finish",
    ]


def test_year_one_as_started_is_the_break_even_reports_year(members):
    report = break_even_report("2026/27")
    first = plans.plan_figures(plans.start_plan(name="Steady", base_year="2026/27")).years[0]
    assert (first.income, first.costs, first.surplus) == (
        report.expected_income,
        report.total_costs,
        report.surplus,
    )
    assert (first.income, first.costs, first.surplus) == (
        D("21120.00"),
        D("198300.00"),
        D("-177180.00"),
    )
    assert first.membership_income == report.signed_income + report.pledged_income
    assert first.la_contribution + first.other_income_total == report.result.budgeted_income
    assert sum((a for line, a in first.costs_by_line if line.kind == "core"), D(0)) == (
        report.result.core_costs
    )


def test_year_one_as_started_is_the_trading_accounts_budget_of_the_partnership_year(members):
    # 2026/27 (September to August) is budgeted across FY 2026-27 and FY 2027-28.
    first = plans.plan_figures(plans.start_plan(name="Steady", base_year="2026/27")).years[0]
    both = [trading_account(fy, today=datetime.date(2026, 9, 1)) for fy in ("2026-27", "2027-28")]
    assert sum((a.expenditure_totals["budget"] for a in both), D(0)) == first.costs
    assert sum((a.income_totals["budget"] for a in both), D(0)) == first.income
    assert sum((a.surplus["budget"] for a in both), D(0)) == first.surplus == D("-177180.00")


def test_a_plan_steps_the_la_contribution_down_and_shows_each_years_break_even(members):
    plan = plans.start_plan(name="Traded by year 3", base_year="2026/27")
    data = form_data(plan)
    data.update(
        year2_la_contribution=D("10000"),
        year2_members=30,
        year2_fee_uplift_percent=D("5"),
        year2_cost_uplift_percent=D("2"),
        year3_la_contribution=D("0"),
        year3_members=40,
        year3_fee_uplift_percent=D("5"),
        year3_cost_uplift_percent=D("2"),
    )
    plans.change_plan(plan=plan, data=data)
    first, second, third = plans.plan_figures(plans.plans_with_parts().get()).years
    # Average fee £560 → £588 → £617.40; costs £198,300 → £202,266 → £206,311.32.
    assert (second.membership_income, second.costs, second.surplus) == (
        D("17640.00"),
        D("202266.00"),
        D("-174626.00"),
    )
    assert (third.membership_income, third.costs, third.surplus) == (
        D("24696.00"),
        D("206311.32"),
        D("-181615.32"),
    )
    assert (third.break_even.membership_income_needed, third.members_to_break_even) == (
        D("206311.32"),
        335,
    )
    assert third.fee_to_break_even == D("5157.79")


def form_data(plan):
    data = {
        "name": plan.name,
        "notes": "",
        "starting_members": plan.starting_members,
        "starting_fees": plan.starting_fees,
    }
    for year in plan.years.all():
        for field in ("la_contribution", "members", "fee_uplift_percent", "cost_uplift_percent"):
            data[f"year{year.number}_{field}"] = getattr(year, field)
    for line in plan.lines.all():
        data[f"line_{line.pk}"] = line.amount
    return data


def test_changes_are_kept_in_the_plans_history(members, finance_officer):
    plan = plans.start_plan(name="Steady", base_year="2026/27", created_by=finance_officer)
    data = form_data(plan)
    data["year3_la_contribution"] = D("0")
    plans.change_plan(plan=plan, data=data)
    year3 = plan.years.get(number=3)
    assert [h.la_contribution for h in year3.history.order_by("history_date")] == [
        D("20000.00"),
        D("0.00"),
    ]
    # Saving what did not change writes no history row (AuditedRecords).
    assert PlanYear.history.filter(number=1).count() == 1
    assert PlanLine.history.count() == plan.lines.count()


def test_a_copy_has_the_same_figures_and_changes_on_its_own(members):
    plan = plans.start_plan(name="Steady", base_year="2026/27")
    copy = plans.copy_plan(plan=plan, name="Steady, fees up 3%")
    data = form_data(copy)
    data["year2_fee_uplift_percent"] = D("3")
    plans.change_plan(plan=copy, data=data)
    original, changed = (plans.plan_figures(p) for p in plans.plans_with_parts().order_by("pk"))
    assert original.years[0].surplus == changed.years[0].surplus
    assert original.years[1].membership_income == D("1120.00")
    assert changed.years[1].membership_income == D("1153.60")
    rows = plans.side_by_side(plans.compared([original.plan, changed.plan]))
    assert [year.words for year in rows[1][1]] == ["Deficit £177,180.00", "Deficit £177,146.40"]


def test_a_plan_from_a_year_with_no_members_starts_with_none(budget):
    plan = plans.start_plan(name="Empty", base_year="2026/27")
    first = plans.plan_figures(plan).years[0]
    assert (plan.starting_members, first.membership_income, first.members_to_break_even) == (
        0,
        D("0.00"),
        None,
    )
    assert Plan.objects.count() == 1


def test_the_csv_has_a_column_per_year_and_a_deficit_negative(members):
    plan = plans.start_plan(name="Steady", base_year="2026/27")
    csv = plans.plan_dataset(plans.plan_figures(plan)).export("csv", lineterminator="\n")
    lines = csv.splitlines()
    assert lines[0] == "Figure,2026/27,2027/28,2028/29"
    assert "Surplus or deficit (a deficit negative),-177180.00,-177180.00,-177180.00" in lines
    # (£198,300 − £20,000) / £560, rounded up.
    assert "Members needed to break even,319,319,319" in lines


PLAN_SECTION = """
plan:
  name: LA steps down
  years:
    - {}
    - {la_contribution: "10000", members: 30, fee_uplift_percent: "5", cost_uplift_percent: "2"}
    - {la_contribution: "0", members: 40, fee_uplift_percent: "5", cost_uplift_percent: "2"}
"""


def costing_with(section):
    return (Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text() + section


def test_the_partnership_file_starts_a_plan_once(members):
    load_text(costing_with(PLAN_SECTION))
    plan = plans.plans_with_parts().get(name="LA steps down")
    assert [(y.la_contribution, y.members, y.fee_uplift_percent) for y in plan.years.all()] == [
        (D("20000.00"), 2, D("0.0")),
        (D("10000.00"), 30, D("5.0")),
        (D("0.00"), 40, D("5.0")),
    ]
    # The same year as the plan the page would start: £17,640 of fees in year 2.
    assert plans.plan_figures(plan).years[1].membership_income == D("17640.00")
    year3 = plan.years.get(number=3)
    year3.members = 45
    year3.save()
    summary = load_text(costing_with(PLAN_SECTION))
    assert summary["plan"] == "LA steps down: already saved, left as it is"
    assert (Plan.objects.count(), plan.years.get(number=3).members) == (1, 45)


def test_the_partnership_file_may_give_the_starting_members_and_fees(budget):
    load_text(
        costing_with(
            '\nplan:\n  name: Grows\n  starting_members: 42\n  starting_fees: "70200"\n'
            "  years:\n    - {}\n    - {members: 50}\n"
        )
    )
    plan = Plan.objects.get()
    assert (plan.starting_members, plan.starting_fees) == (42, D("70200.00"))
    assert list(plan.years.values_list("members", flat=True)) == [42, 50, 42]
    assert plans.plan_figures(plan).years[0].membership_income == D("70200.00")


@pytest.mark.parametrize(
    "section, problem",
    [
        ("\nplan:\n  name: X\n  years: []\n", "plan.years: must list one to three years"),
        (
            '\nplan:\n  name: X\n  years:\n    - {fee_uplift_percent: "150"}\n',
            "plan.years[0].fee_uplift_percent: must be at most 100",
        ),
        (
            '\nplan:\n  name: X\n  years:\n    - {cost_uplift_percent: "2.25"}\n',
            "plan.years[0].cost_uplift_percent: has more than 1 decimal place",
        ),
        (
            '\nplan:\n  name: X\n  years:\n    - {la_contribution: "-1"}\n',
            "plan.years[0].la_contribution: must not be negative",
        ),
        (
            "\nplan:\n  name: X\n  years:\n    - {colour: red}\n",
            "plan.years[0].colour: unknown key",
        ),
    ],
)
def test_a_bad_plan_section_is_named_and_nothing_is_loaded(db, section, problem):
    from partnership.partnership_file import PartnershipFileError

    with pytest.raises(PartnershipFileError) as refused:
        load_text(costing_with(section))
    assert any(found.startswith(problem) for found in refused.value.problems)
    assert not Plan.objects.exists()
