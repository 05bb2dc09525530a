"""The charts of the demo partnership on a desktop (1280 px) and a phone (375 px): the
trading account's (income and costs with their budget), break-even, the scenarios and
demand against capacity. Each page: axe at zero violations, the chart named as an image,
its legend in words, and nothing wider than the screen."""

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from partnership.demo import DEMO_PASSWORD
from partnership.models import User
from tests.finance.test_reports import SCENARIO

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_chart(page, name, chart_name, legend):
    chart = page.get_by_role("img", name=chart_name)
    chart.wait_for()
    assert chart.is_visible()
    assert page.locator("figcaption").get_by_text(legend).first.is_visible()
    box = chart.bounding_box()
    width = page.viewport_size["width"]
    assert box["width"] <= width and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert_accessible(page)
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/chart-{width}-{name}.png", full_page=True)


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_finance_officer_reads_the_charts_of_the_trading_account_break_even_and_scenarios(
    request, demo, screen
):
    page = request.getfixturevalue(screen)
    finance = User.objects.get(email="finance@demo.council")
    sign_in(page, finance.email, password=DEMO_PASSWORD, totp_user=finance)

    page.goto(reverse("finance:trading_account") + "?year=2026-27")
    check_chart(
        page,
        "trading-account",
        "Income by month: recorded, forecast and budget",
        "Budget (black line across the month)",
    )
    assert page.get_by_role("img", name="Costs by month: recorded, forecast and budget").count()

    page.goto(reverse("finance:break_even") + "?academic_year=2026/27")
    check_chart(
        page,
        "break-even",
        "Break-even: income against core costs by number of member schools",
        "Member schools now",
    )
    page.get_by_text("Show the figures as a table").click()
    assert page.locator("#break-even-chart-table").get_by_text("Break-even").is_visible()

    page.goto(reverse("finance:scenarios") + "?" + urlencode(SCENARIO))
    check_chart(
        page,
        "scenarios",
        "Income, costs and surplus or deficit by option",
        "Costs (hatched)",
    )


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_coordinator_reads_demand_against_capacity(request, demo, screen):
    page = request.getfixturevalue(screen)
    coordinator = User.objects.get(email="coordinator@demo.partnership")
    sign_in(page, coordinator.email, password=DEMO_PASSWORD, totp_user=coordinator)
    page.goto(reverse("offers:demand") + "?year=2026/27")
    check_chart(page, "demand", "Units taken against capacity, by offer", "Waiting (hatched)")
