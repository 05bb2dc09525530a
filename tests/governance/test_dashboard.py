import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from governance import dashboard
from governance.models import ProgressReport, TaskAndFinishGroup, today
from tests.chart_reading import chart_shapes, chart_titles
from tests.factories import SchoolFactory


def test_dashboard_shows_task_group_progress_with_a_chart_and_a_table(
    client_for, board_member, group, priority
):
    now = today()
    other = TaskAndFinishGroup.objects.create(
        code="post-16",
        name="Post-16 pathways",
        priority=priority,
        remit="r",
        start_date=now - datetime.timedelta(days=10),
        end_date=now + datetime.timedelta(days=100),
    )
    ProgressReport.objects.create(group=other, date=now, rag="red", summary="Late data")
    response = client_for(board_member).get(reverse("governance:dashboard"))
    assert [(row["group"].name, row["rag"]) for row in response.context["progress"]] == [
        ("Early reading", "amber"),
        ("Post-16 pathways", "red"),
    ]
    chart = response.context["rag_chart"]
    assert [(bar.label, bar.value, bar.display) for bar in chart.bars] == [
        ("Red", 1, "1 group"),
        ("Amber", 1, "1 group"),
        ("Green", 0, "0 groups"),
    ]
    page = response.content.decode()
    # Drawn by the shared chart module: each bar carries its figure, red and amber told
    # apart by pattern as well as colour, and nothing drawn for no groups.
    assert chart_titles(page, "rag") == ["Red: 1 group", "Amber: 1 group"]
    red, amber = chart_shapes(page, "rag", "rect")
    assert red["width"] == amber["width"] and int(red["width"]) > 0
    assert red["fill"] == "url(#chart-rag-spend)" and amber["fill"] == "url(#chart-rag-amber)"
    assert "Task-and-finish groups by latest RAG status as a table" in page
    assert 'role="img" aria-labelledby="chart-rag-title chart-rag-desc"' in page


def test_take_up_counts_open_schools_by_category(db):
    SchoolFactory(category="primary")
    SchoolFactory(category="primary")
    SchoolFactory(category="secondary")
    SchoolFactory(category="secondary", status="closed")
    rows, _ = dashboard.take_up(dashboard.academic_year(today()))
    assert [(row["category"], row["schools"]) for row in rows] == [("Primary", 2), ("Secondary", 1)]


def test_overdue_actions_are_listed(client_for, coordinator, action):
    response = client_for(coordinator).get(reverse("governance:dashboard"))
    assert [a.description for a in response.context["overdue_actions"]] == [
        "Circulate the strategy"
    ]


@pytest.mark.parametrize("who", ["board_member", "coordinator"])
def test_the_partnership_dashboard_renders_for_the_board_and_coordinator(
    request, client_for, partnership_record, who
):
    response = client_for(request.getfixturevalue(who)).get(reverse("governance:dashboard"))
    assert response.status_code == 200
    assert "Partnership dashboard" in response.content.decode()


FINANCE_FILE = """
format: 1
partnership:
  name: Test Partnership
  local_authority: {code: 312, name: Hillingdon}
year:
  academic_year: 2026/27
  census_date: 2026-01-15
costs:
  - {code: chair, name: Independent chair, kind: core, quantity: 20, unit: day, unit_cost: "600"}
  - {code: coordination, name: Co-ordinating capacity, kind: core, quantity: 50, unit: day,
     unit_cost: "350"}
income:
  - {code: la-contribution, name: LA contribution, amount: "20000"}
"""


def test_trading_position_comes_from_the_finance_trading_account(db):
    from partnership.partnership_file import load_text

    load_text(FINANCE_FILE)
    trade = dashboard.trading(datetime.date(2026, 11, 23))
    assert trade["financial_year"] == "2026-27"
    budget = {row["label"]: row["budget"] for row in trade["rows"]}
    # September to March of the 2026/27 year: 7/12 of each line.
    assert budget == {
        "Income": Decimal("11666.67"),
        "Expenditure": Decimal("17208.33"),
        "Surplus or deficit": Decimal("-5541.66"),
    }
