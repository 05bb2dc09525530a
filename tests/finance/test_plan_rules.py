"""A three-year plan's years worked out from plain values (finance.rules.plan_years)."""

from decimal import Decimal

from finance.rules import PlanLineInput, PlanYearInput, plan_years

D = Decimal
LINES = [
    PlanLineInput("chair", "Independent chair", "core", D("12000")),
    PlanLineInput("networks", "SLE networks", "additional", D("30000")),
    PlanLineInput("grant", "DfE grant", "income", D("5000")),
]


def year(la, members, fee="0", cost="0"):
    return PlanYearInput(D(la), members, D(fee), D(cost))


def test_each_year_steps_from_the_one_before():
    first, second, third = plan_years(
        starting_members=2,
        starting_fees=D("1260.00"),
        lines=LINES,
        years=[year("20000", 2), year("10000", 3, "10", "3"), year("0", 3, "10", "3")],
    )
    assert (first.membership_income, first.income, first.costs, first.surplus) == (
        D("1260.00"),
        D("26260.00"),
        D("42000.00"),
        D("-15740.00"),
    )
    # Fee £630 × 1.1 = £693 for 3 members; every cost line 3% up on the year before.
    assert second.membership_income == D("2079.00")
    assert [amount for _, amount in second.costs_by_line] == [D("12360.00"), D("30900.00")]
    assert (second.income, second.costs, second.surplus) == (
        D("17079.00"),
        D("43260.00"),
        D("-26181.00"),
    )
    # Year 3: fee £762.30; chair £12,730.80, networks £31,827.00; no LA contribution.
    assert (third.membership_income, third.costs, third.la_contribution, third.surplus) == (
        D("2286.90"),
        D("44557.80"),
        D("0.00"),
        D("-37270.90"),
    )
    assert [amount for _, amount in third.other_income] == [D("5000.00")]


def test_break_even_is_the_fees_that_cover_every_cost_after_other_income():
    first, second, third = plan_years(
        starting_members=2,
        starting_fees=D("1260.00"),
        lines=LINES,
        years=[year("20000", 2), year("10000", 3, "10", "3"), year("0", 3, "10", "3")],
    )
    # £42,000 − (£20,000 + £5,000) = £17,000: 27 members at £630, or £8,500.00 each from 2.
    assert (first.break_even.membership_income_needed, first.members_to_break_even) == (
        D("17000.00"),
        27,
    )
    assert (first.fee_to_break_even, first.fee_uplift_to_break_even) == (D("8500.00"), D("1249.3"))
    # £43,260 − £15,000 = £28,260: 41 members at £693, or £9,420.00 each from 3: the
    # uplift is on the year before's £630.
    assert (second.members_to_break_even, second.fee_to_break_even) == (41, D("9420.00"))
    assert second.fee_uplift_to_break_even == D("1395.3")
    # £44,557.80 − £5,000 = £39,557.80: 52 at £762.30; £13,185.94 each, rounded up.
    assert (third.members_to_break_even, third.fee_to_break_even) == (52, D("13185.94"))
    assert third.fee_uplift_to_break_even == D("1802.8")


def test_the_break_even_uplift_breaks_even_and_a_tenth_of_a_percent_less_does_not():
    lines = [PlanLineInput("core", "Core", "core", D("100000"))]
    base = {"starting_members": 40, "starting_fees": D("84000"), "lines": lines}
    (before,) = plan_years(**base, years=[year("10000", 40)])
    # £90,000 needed from 40 members: £2,250.00 each against £2,100.00, 7.14…% up.
    assert (before.surplus, before.fee_uplift_to_break_even) == (D("-6000.00"), D("7.2"))
    (at,) = plan_years(**base, years=[year("10000", 40, "7.2")])
    (short,) = plan_years(**base, years=[year("10000", 40, "7.1")])
    assert (at.surplus, short.surplus) == (D("48.00"), D("-36.00"))
    (enough,) = plan_years(**base, years=[year("10000", before.members_to_break_even)])
    assert (before.members_to_break_even, enough.surplus) == (43, D("300.00"))


def test_year_one_with_the_base_years_members_brings_in_exactly_their_fees():
    # £84,000 over 37 members is £2,270.27027…: kept unrounded, so 37 × it is £84,000.00.
    (first,) = plan_years(
        starting_members=37, starting_fees=D("84000.00"), lines=[], years=[year("0", 37)]
    )
    assert first.membership_income == D("84000.00")


def test_a_year_whose_other_income_covers_its_costs_needs_no_fee_rise():
    (first,) = plan_years(
        starting_members=10,
        starting_fees=D("10000"),
        lines=[PlanLineInput("core", "Core", "core", D("5000"))],
        years=[year("6000", 10)],
    )
    assert first.break_even.membership_income_needed == D("-1000.00")
    assert (first.members_to_break_even, first.fee_uplift_to_break_even) == (0, None)
    assert first.surplus == D("11000.00")


def test_a_plan_with_no_members_has_no_fee_and_no_member_count_to_break_even():
    (first,) = plan_years(
        starting_members=0,
        starting_fees=D("0"),
        lines=[PlanLineInput("core", "Core", "core", D("5000"))],
        years=[year("0", 0)],
    )
    assert (first.membership_income, first.surplus) == (D("0.00"), D("-5000.00"))
    assert (first.members_to_break_even, first.fee_to_break_even) == (None, None)
    assert first.fee_uplift_to_break_even is None
