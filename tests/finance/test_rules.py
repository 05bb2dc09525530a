import datetime
from decimal import Decimal

import pytest

from finance import rules

D = Decimal


def test_a_full_year_membership_is_earned_seven_twelfths_then_five_twelfths():
    parts = rules.apportion_by_month(
        D("1200"), datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)
    )
    assert len(parts) == 12
    fy_2026 = sum(amount for month, amount in parts if month < datetime.date(2027, 4, 1))
    fy_2027 = sum(amount for month, amount in parts if month >= datetime.date(2027, 4, 1))
    assert (fy_2026, fy_2027) == (D("700.00"), D("500.00"))


def test_apportioned_parts_add_up_to_the_penny():
    parts = rules.apportion_by_month(
        D("1000.00"), datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)
    )
    assert [amount for _, amount in parts[:3]] == [D("83.33"), D("83.34"), D("83.33")]
    assert sum(amount for _, amount in parts) == D("1000.00")


def test_a_mid_year_joiner_is_spread_over_its_own_months():
    # Joined in January: 8 months (Jan-Aug), 3 in FY 2026-27 and 5 in FY 2027-28.
    parts = rules.apportion_by_month(
        D("593.33"), datetime.date(2027, 1, 12), datetime.date(2027, 8, 31)
    )
    assert [month.month for month, _ in parts] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert sum(amount for month, amount in parts if month.month <= 3) == D("222.50")
    assert sum(amount for _, amount in parts) == D("593.33")


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        rules.apportion_by_month(D("10"), datetime.date(2027, 1, 1), datetime.date(2026, 12, 1))


def test_line_amounts_round_each_figure_to_the_penny():
    amounts = rules.line_amounts(D("1.5"), D("333.33"), D("20"))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("500.00"), D("100.00"), D("600.00"))
    amounts = rules.line_amounts(D("3"), D("0.335"), D("17.5"))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("1.01"), D("0.18"), D("1.19"))


@pytest.mark.parametrize(
    "credited, paid, today, expected",
    [
        ("0", "0", datetime.date(2026, 9, 10), "issued"),
        ("0", "100", datetime.date(2026, 9, 10), "part_paid"),
        ("0", "100", datetime.date(2026, 11, 1), "overdue"),
        ("0", "1200", datetime.date(2026, 11, 1), "paid"),
        ("200", "1000", datetime.date(2026, 11, 1), "paid"),
        ("1200", "0", datetime.date(2026, 11, 1), "credited"),
    ],
)
def test_invoice_status(credited, paid, today, expected):
    status = rules.invoice_status(
        gross=D("1200"),
        credited=D(credited),
        paid=D(paid),
        due=datetime.date(2026, 10, 1),
        today=today,
    )
    assert status == expected


def test_break_even_on_the_hillingdon_costing():
    result = rules.break_even(
        core_costs=D("70000"), budgeted_income=D("20000"), total_pupils=30000, average_fee=D("1500")
    )
    assert result.membership_income_needed == D("50000.00")
    assert result.per_pupil_rate == D("1.67")  # 1.6666... rounded up, never down
    assert result.schools_needed == 34  # 33.33 schools rounded up


def test_break_even_rate_rounds_up_even_a_fraction_of_a_penny():
    result = rules.break_even(core_costs=D("10000.01"), budgeted_income=D("0"), total_pupils=1000)
    assert result.per_pupil_rate == D("10.01")
    assert result.schools_needed is None


def test_scenario_counts_take_up_and_leaves_pay_as_you_go_costs_out():
    categories = [
        rules.CategoryTakeUp(
            "primary", schools=60, pupils=18000, take_up_percent=D("50"), fee=D("1000")
        ),
        rules.CategoryTakeUp(
            "secondary",
            schools=20,
            pupils=20000,
            take_up_percent=D("100"),
            fee=D("0"),
            per_pupil=D("2"),
        ),
    ]
    single = rules.scenario(
        name="single",
        categories=categories,
        core_costs=D("70000"),
        additional_costs=D("128300"),
        other_income=D("20000"),
        additional_sales_percent=D("80"),
    )
    # 30 primaries × £1,000 + 20 secondaries × 1,000 pupils × £2 = £70,000
    assert single.membership_income == D("70000.00")
    assert single.sales_income == D("102640.00")
    assert single.costs == D("198300.00")
    assert single.surplus == D("-5660.00")
    core_only = rules.scenario(
        name="core",
        categories=categories,
        core_costs=D("70000"),
        additional_costs=D("128300"),
        other_income=D("20000"),
        include_additional=False,
    )
    assert (core_only.costs, core_only.surplus) == (D("70000.00"), D("20000.00"))
    assert core_only.members == D("50.0")


def test_option_2_adds_each_tiers_extra_fee_for_its_share_of_members():
    categories = [
        rules.CategoryTakeUp(
            "primary", schools=60, pupils=18000, take_up_percent=D("50"), fee=D("800")
        ),
        rules.CategoryTakeUp(
            "secondary", schools=20, pupils=20000, take_up_percent=D("100"), fee=D("800")
        ),
    ]
    tiered = rules.scenario(
        name="Option 2",
        categories=categories,
        tiers=(
            rules.TierTakeUp("Standard", extra_fee=D("1200"), share_percent=D("30")),
            rules.TierTakeUp("Advanced", extra_fee=D("2500"), share_percent=D("12.5")),
        ),
        core_costs=D("70000"),
        additional_costs=D("128300"),
        other_income=D("20000"),
        additional_sales_percent=D("25"),
    )
    # 50 members × £800 + 15 (30%) × £1,200 + 6.25 (12.5%) × £2,500 = 40,000 + 18,000 + 15,625
    assert tiered.members == D("50.0")
    assert tiered.membership_income == D("73625.00")
    assert tiered.sales_income == D("32075.00")  # 25% of £128,300
    assert tiered.income == D("125700.00")
    assert tiered.surplus == D("-72600.00")


def test_a_scenario_rounds_to_the_penny_once_at_the_end():
    result = rules.scenario(
        name="Option 2",
        categories=[
            rules.CategoryTakeUp(
                "primary", schools=7, pupils=1400, take_up_percent=D("33.3"), fee=D("999.99")
            )
        ],
        tiers=(rules.TierTakeUp("Standard", extra_fee=D("250.01"), share_percent=D("15")),),
        core_costs=D("0"),
        additional_costs=D("0"),
        other_income=D("0"),
    )
    # 2.331 members × £999.99 = 2,330.97669, plus 15% of them × £250.01 = 87.4159965:
    # 2,418.3926865 is £2,418.39 (rounding each part first would give £2,418.40).
    assert result.membership_income == D("2418.39")
    assert result.members == D("2.3")
