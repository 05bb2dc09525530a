"""Break-even counted in the database: the same figures, whatever the number of members."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.reports import break_even_report
from membership.services import submit_expression_of_interest
from offers.selectors import chargeable_deliveries
from partnership.money import money, parse_money
from partnership.partnership_file import load_text
from schools.models import PupilCount
from tests.chart_reading import chart_titles, table_rows
from tests.factories import SchoolFactory, school_user

D = Decimal
pytestmark = pytest.mark.django_db
NO_MEMBERS = "No member schools (budgeted income only)"
YEAR = ("2026/27", datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


@pytest.fixture
def budget(db):
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())


def test_pupils_are_each_members_latest_count_on_or_before_the_census(
    budget, join, school_a, school_b, head_a, head_b
):
    join(school_a, head_a)
    join(school_b, head_b)
    PupilCount.objects.create(school=school_a, census_date=datetime.date(2025, 1, 15), pupils=1)
    PupilCount.objects.create(school=school_a, census_date=datetime.date(2026, 5, 1), pupils=999)
    SchoolFactory(pupils=5000)  # not a member
    report = break_even_report("2026/27")
    assert (report.member_schools, report.result.total_pupils) == (2, 630)
    assert report.result.average_fee == D("630.00")  # £1,260 signed over 2 members


def test_pledges_are_yes_from_schools_not_yet_members_each_at_its_tiers_fee(
    budget, join, membership_year, core_tier, school_a, school_b, head_a, head_b
):
    join(school_a, head_a)
    submit_expression_of_interest(
        school=school_a, year=membership_year, intent="yes", preferred_tier=core_tier, by=head_a
    )
    submit_expression_of_interest(
        school=school_b, year=membership_year, intent="yes", preferred_tier=core_tier, by=head_b
    )
    no_tier = SchoolFactory(pupils=300)
    submit_expression_of_interest(
        school=no_tier, year=membership_year, intent="yes", by=school_user(no_tier)
    )
    maybe = SchoolFactory(pupils=100)
    submit_expression_of_interest(
        school=maybe, year=membership_year, intent="maybe", by=school_user(maybe)
    )
    report = break_even_report("2026/27", average_fee=D("1500"))
    # School B: 210 pupils at £2 = £420, whatever the average fee; the pledge with no tier
    # is counted and not valued.
    assert (report.pledged_schools, report.pledged_income) == (2, D("420.00"))
    assert [p.school_name for p in report.unvalued_pledges] == [no_tier.name]


def test_a_finished_year_still_counts_its_members_and_their_income(
    budget, join, school_a, school_b, head_a, head_b
):
    from membership.models import Membership

    for school, head in ((school_a, head_a), (school_b, head_b)):
        join(school, head)
    Membership.objects.filter(school=school_b).update(status=Membership.Status.LAPSED)
    report = break_even_report("2026/27")
    assert (report.member_schools, report.result.total_pupils, report.signed_income) == (
        2,
        630,
        D("1260.00"),
    )
    assert report.result.per_pupil_rate == D("79.37")  # (70,000 − 20,000) / 630, rounded up


def test_a_membership_awaiting_approval_is_expected_income(
    budget, membership_year, core_tier, school_a, head_a
):
    from membership.services import sign_agreement

    sign_agreement(
        school=school_a,
        year=membership_year,
        tier=core_tier,
        by=head_a,
        on=datetime.date(2026, 7, 1),
    )
    report = break_even_report("2026/27")
    assert (report.member_schools, report.members.awaiting_approval) == (1, 1)
    assert (report.signed_income, report.members.awaiting_approval_fees) == (
        D("840.00"),
        D("840.00"),
    )


def test_schools_needed_uses_full_year_fees(budget, join, school_a, school_b, head_a, head_b):
    join(school_a, head_a)  # from September: £840
    join(school_b, head_b, on=datetime.date(2027, 1, 10))  # from January: 8/12 of £420 = £280
    report = break_even_report("2026/27")
    assert report.signed_income == D("1120.00")
    # The average of £840 and £420 (the January joiner's fee for a whole year): £630.
    assert report.result.average_fee == D("630.00")
    assert report.result.schools_needed == 80  # £50,000 / £630, rounded up


def test_bookings_income_is_the_schools_delivery_lines_each_rounded(deliveries):
    lines = chargeable_deliveries(YEAR[1], YEAR[2])
    expected = sum(
        (money(line.quantity * line.unit_price) for line in lines if line.payer == "school"),
        D("0.00"),
    )
    assert any(line.payer == "la" for line in lines)  # the LA's package is not the schools'
    assert break_even_report("2026/27").bookings_income == expected > 0


def test_the_break_even_page_asks_the_same_queries_for_more_members(
    client_for, coordinator, budget, join, school_a, head_a
):
    client = client_for(coordinator)
    join(school_a, head_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("finance:break_even"), {"academic_year": "2026/27"})
    for _ in range(5):
        school = SchoolFactory(pupils=300)
        join(school, school_user(school))
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("finance:break_even"), {"academic_year": "2026/27"})
    assert len(many) == len(few)
    assert "6 / 1920" in page.content.decode()  # 420 + 5 × 300 pupils


def test_the_break_even_chart_crosses_the_costs_where_the_page_says(
    client_for, coordinator, budget, join, school_a, head_a, school_b, head_b
):
    join(school_a, head_a)
    join(school_b, head_b)
    page = (
        client_for(coordinator)
        .get(reverse("finance:break_even"), {"academic_year": "2026/27"})
        .content.decode()
    )
    figures = re.search(
        r"Schools needed at an average full-year fee of ([^<]+)</th>.*?<strong>(\d+)</strong>",
        page,
        re.S,
    )
    fee, needed = figures.group(1), figures.group(2)
    points = table_rows(page, 'id="break-even-chart-table"')
    assert points["Break-even"]["Member schools"] == needed
    assert points["Member schools now"]["Member schools"] == "2"
    titles = chart_titles(page, "break-even")
    core = points["Break-even"]["Core costs"]
    assert titles == [
        f"Income: {points[NO_MEMBERS]['Income']} plus {fee} a school",
        f"Core costs: {core}",
        f"Break-even at {needed} schools: income {points['Break-even']['Income']}",
        f"Now, 2 member schools: income {points['Member schools now']['Income']}",
    ]
    assert parse_money(points["Break-even"]["Income"]) >= parse_money(core)
    assert parse_money(points["Break-even"]["Income"]) - parse_money(fee) < parse_money(core)


def test_without_an_average_fee_the_break_even_page_asks_for_one(client_for, coordinator, budget):
    page = (
        client_for(coordinator)
        .get(reverse("finance:break_even"), {"academic_year": "2026/27"})
        .content.decode()
    )
    assert "Enter an average fee to see the break-even position as a chart." in page
    assert "portal-chart-figure" not in page
