"""The three-year plan pages: who may open each, the forms' errors, downloads, queries."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from finance import plans
from finance.models import Plan, PlanYear
from partnership.partnership_file import load_text

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db, join, school_a, head_a):
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())
    join(school_a, head_a)
    return plans.start_plan(name="Steady", base_year="2026/27")


@pytest.fixture
def two_plans(plan):
    return plan, plans.copy_plan(plan=plan, name="Fees up")


READ = ["finance:plans", "finance:plan", "finance:plan_compare"]
EDIT = ["finance:plan_new", "finance:plan_edit", "finance:plan_copy"]


def url_of(name, plan):
    if name in ("finance:plan", "finance:plan_edit", "finance:plan_copy"):
        return reverse(name, args=[plan.pk])
    return reverse(name)


@pytest.mark.parametrize("name", READ + EDIT)
def test_anonymous_people_are_sent_to_sign_in(client_for, plan, name):
    response = client_for(None).get(url_of(name, plan))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", READ + EDIT)
@pytest.mark.parametrize("who", ["head_a", "practitioner_user"])
def test_schools_and_practitioners_are_refused(request, client_for, plan, name, who):
    response = client_for(request.getfixturevalue(who)).get(url_of(name, plan))
    assert response.status_code == 403


@pytest.mark.parametrize("name", READ)
@pytest.mark.parametrize("who", ["finance_officer", "coordinator", "board_member"])
def test_finance_coordinators_and_the_board_read_plans(request, client_for, plan, name, who):
    response = client_for(request.getfixturevalue(who)).get(url_of(name, plan))
    assert response.status_code == 200


@pytest.mark.parametrize("name", EDIT)
@pytest.mark.parametrize("who", ["finance_officer", "coordinator"])
def test_finance_and_coordinators_change_plans(request, client_for, plan, name, who):
    response = client_for(request.getfixturevalue(who)).get(url_of(name, plan))
    assert response.status_code == 200


@pytest.mark.parametrize("name", EDIT)
def test_board_members_only_read(client_for, plan, board_member, name):
    assert client_for(board_member).get(url_of(name, plan)).status_code == 403
    assert client_for(board_member).post(url_of(name, plan), {"name": "X"}).status_code == 403
    assert Plan.objects.count() == 1


def test_a_board_member_sees_no_way_to_change_a_plan(client_for, plan, board_member):
    page = client_for(board_member).get(reverse("finance:plan", args=[plan.pk])).content.decode()
    assert "Deficit £177,460.00" in page
    assert "Change the plan" not in page and "Start a plan" not in page


def test_starting_a_plan_takes_the_years_budget(client_for, plan, coordinator):
    response = client_for(coordinator).post(
        reverse("finance:plan_new"), {"name": "LA steps down", "base_year": "2026/27"}
    )
    started = Plan.objects.get(name="LA steps down")
    assert response.url == reverse("finance:plan_edit", args=[started.pk])
    assert (started.created_by, started.starting_fees) == (coordinator, D("840.00"))


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "base_year": "2026/27"}, "Enter the name of the plan"),
        ({"name": "steady", "base_year": "2026/27"}, "There is already a plan called steady"),
        ({"name": "New"}, "Select the year the plan starts from"),
        ({"name": "New", "base_year": "2031/32"}, "Select the year the plan starts from: one"),
    ],
)
def test_a_plan_that_cannot_start_says_why_and_starts_nothing(
    client_for, plan, finance_officer, data, message
):
    response = client_for(finance_officer).post(reverse("finance:plan_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Plan.objects.count() == 1


def edit_data(plan, **changes):
    data = {
        "name": plan.name,
        "notes": "",
        "starting_members": str(plan.starting_members),
        "starting_fees": str(plan.starting_fees),
    }
    for year in plan.years.all():
        for field in ("la_contribution", "members", "fee_uplift_percent", "cost_uplift_percent"):
            data[f"year{year.number}_{field}"] = str(getattr(year, field))
    for line in plan.lines.all():
        data[f"line_{line.pk}"] = str(line.amount)
    data.update(changes)
    return data


def test_changing_a_plan_saves_every_year(client_for, plan, finance_officer):
    response = client_for(finance_officer).post(
        reverse("finance:plan_edit", args=[plan.pk]),
        edit_data(plan, year2_la_contribution="10,000", year3_la_contribution="£0"),
    )
    assert response.url == reverse("finance:plan", args=[plan.pk])
    assert list(PlanYear.objects.order_by("number").values_list("la_contribution", flat=True)) == [
        D("20000.00"),
        D("10000.00"),
        D("0.00"),
    ]


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "year2_fee_uplift_percent",
            "150",
            "Year 2 (2027/28): fee uplift on the year before must be 100% or less",
        ),
        (
            "year3_cost_uplift_percent",
            "-60",
            "Year 3 (2028/29): cost uplift on the year before must be -50% or more",
        ),
        (
            "year2_fee_uplift_percent",
            "2.55",
            "Year 2 (2027/28): fee uplift on the year before can have one decimal place",
        ),
        (
            "year2_fee_uplift_percent",
            "lots",
            "Enter year 2 (2027/28): fee uplift on the year before as a number",
        ),
        ("year3_members", "-1", "Year 3 (2028/29): members must be 0 or more"),
        ("year3_members", "9000", "Year 3 (2028/29): members must be 5,000 or fewer"),
        ("year3_members", "", "Enter year 3 (2028/29): members"),
        (
            "year2_la_contribution",
            "ten thousand",
            "Enter year 2 (2027/28): LA contribution in pounds and pence",
        ),
        (
            "year2_la_contribution",
            "-5",
            "Year 2 (2027/28): LA contribution must be £0.00 or more",
        ),
        (
            "year2_la_contribution",
            "99999999999",
            "Year 2 (2027/28): LA contribution must be £9,999,999,999.99 or less",
        ),
        ("starting_members", "0", "Enter the members in 2026/27: their fees are more than £0.00"),
        ("name", "", "Enter the name of the plan"),
    ],
)
def test_a_bad_figure_is_named_and_changes_nothing(
    client_for, plan, finance_officer, field, value, message
):
    response = client_for(finance_officer).post(
        reverse("finance:plan_edit", args=[plan.pk]),
        edit_data(plan, **{"year2_la_contribution": "1", field: value}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert PlanYear.objects.get(number=2).la_contribution == D("20000.00")


def test_copying_a_plan_saves_a_new_one_to_change(client_for, plan, finance_officer):
    response = client_for(finance_officer).post(
        reverse("finance:plan_copy", args=[plan.pk]), {"name": "Fees up"}
    )
    copy = Plan.objects.get(name="Fees up")
    assert response.url == reverse("finance:plan_edit", args=[copy.pk])
    assert copy.years.count() == 3 and copy.lines.count() == plan.lines.count()


def test_plans_are_compared_side_by_side(client_for, two_plans, board_member):
    first, second = two_plans
    plans.change_plan(
        plan=second, data={**edit_data(second), "year2_members": 40, "year3_members": 60}
    )
    response = client_for(board_member).get(
        reverse("finance:plan_compare"), {"plan": [first.pk, second.pk]}
    )
    page = response.content.decode()
    assert "2027/28: Deficit £177,460.00" in page
    assert "2027/28: Deficit £144,700.00" in page  # 40 members at £840


def test_comparing_fewer_than_two_plans_says_so(client_for, two_plans, board_member):
    response = client_for(board_member).get(
        reverse("finance:plan_compare"), {"plan": [two_plans[0].pk]}
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Select between 2 and 4 plans to compare" in page


def test_a_plan_downloads_as_csv(client_for, plan, coordinator):
    response = client_for(coordinator).get(
        reverse("finance:plan", args=[plan.pk]), {"format": "csv"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="plan-steady-2026-27.csv"'
    text = response.content.decode()
    assert text.startswith("Figure,2026/27,2027/28,2028/29\n")
    assert "Surplus or deficit (a deficit negative),-177460.00,-177460.00,-177460.00" in text


def test_the_plan_page_draws_the_chart_with_its_table(client_for, plan, finance_officer):
    page = client_for(finance_officer).get(reverse("finance:plan", args=[plan.pk])).content.decode()
    assert "Income, costs and surplus or deficit by year" in page
    assert "2026/27 income: £20,840.00" in page and "2028/29 costs: £198,300.00" in page
    assert "2027/28: Deficit £177,460.00" in page
    assert 'aria-label="The plan by year"' in page


def test_the_plan_pages_queries_do_not_grow_with_plans(
    client_for, plan, finance_officer, django_assert_max_num_queries
):
    client = client_for(finance_officer)
    client.get(reverse("finance:plans"))  # warm the session and partnership caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("finance:plans"))
    for number in range(5):
        plans.copy_plan(plan=plan, name=f"Copy {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("finance:plans"))
    ids = [p.pk for p in Plan.objects.all()[:4]]
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("finance:plan_compare"), {"plan": ids})


def test_a_change_to_a_plan_is_on_the_audit_trail(client_for, plan, finance_officer):
    import csv
    import io

    client = client_for(finance_officer)
    client.post(
        reverse("finance:plan_edit", args=[plan.pk]), edit_data(plan, year2_la_contribution="0")
    )
    response = client.get(reverse("finance:audit"), {"record_type": "plan_year", "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    changed = [row for row in rows if row["Action"] == "Changed"]
    assert [row["Record"] for row in changed] == ["Steady: year 2"]
    assert "LA contribution" in changed[0]["What changed"]
    assert "0.00" in changed[0]["What changed"]


@pytest.mark.parametrize("name", READ + EDIT)
@pytest.mark.parametrize("who", ["finance_officer", "coordinator"])
def test_the_plan_pages_highlight_reports_under_the_menu_not_the_trading_account(
    request, client_for, plan, name, who
):
    """Plans are listed on the reports page; the trading account is at /finance/, which
    starts every finance page's address but is not where the plans are."""
    user = request.getfixturevalue(who)
    html = client_for(user).get(url_of(name, plan)).content.decode()
    menu, pages = html.split('class="portal-sub-navigation"', 1)
    assert re.findall(r'aria-current="(?:page|true)"><strong[^>]*>([^<]+)<', menu) == ["Finance"]
    assert re.findall(r'href="([^"]+)" aria-current="(?:page|true)">([^<]+)<', pages) == [
        ("/finance/reports/", "Reports")
    ]


def test_the_boards_plan_pages_highlight_three_year_plans(client_for, plan, board_member):
    html = client_for(board_member).get(url_of("finance:plan", plan)).content.decode()
    assert re.findall(r'href="([^"]+)" aria-current="(?:page|true)"', html) == ["/finance/plans/"]
