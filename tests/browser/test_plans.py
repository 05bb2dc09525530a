"""A coordinator starts a three-year plan, steps the LA contribution down, copies it and
compares the two; a board member reads them. Every page checked with axe at 1280 and 375
px wide, with no sideways scrolling."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from finance.models import Plan

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COSTING = Path(__file__).parent.parent / "finance" / "files" / "hillingdon-costing.yaml"


@pytest.fixture
def budget(partnership_record, school_a, head_a):
    from membership.models import Membership
    from membership.services import load_fee_scheme, load_membership_year, load_tier, sign_agreement
    from partnership.partnership_file import load_text

    load_text(COSTING.read_text())
    year, _ = load_membership_year(academic_year="2026/27", census_date=datetime.date(2026, 1, 15))
    tier, _ = load_tier(code="core", name="Core membership")
    load_fee_scheme(tier=tier, year=year, kind="per_pupil", rate=Decimal("2.00"))
    membership = sign_agreement(
        school=school_a, year=year, tier=tier, by=head_a, on=datetime.date(2026, 7, 1)
    )
    membership.status = Membership.Status.ACTIVE
    membership.save()


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_coordinator_plans_three_years_and_compares_two_plans(
    browser, live_server, budget, coordinator, board_member, width
):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(page, coordinator.email, totp_user=coordinator)
    page.goto("/finance/plans/")
    fits(page, width)
    page.get_by_role("link", name="Start a plan").click()
    page.get_by_role("button", name="Start the plan").click()
    assert page.get_by_role("link", name="Enter the name of the plan").is_visible()
    fits(page, width)
    page.get_by_label("Name of the plan").fill("LA steps down")
    page.get_by_label("2026/27").check()
    page.get_by_role("button", name="Start the plan").click()

    page.get_by_role("heading", name="Change LA steps down").wait_for()
    page.get_by_label("Year 2 (2027/28): LA contribution").fill("10000")
    page.get_by_label("Year 3 (2028/29): LA contribution").fill("0")
    page.get_by_label("Year 3 (2028/29): fee uplift on the year before").fill("150")
    page.get_by_role("button", name="Save the plan").click()
    message = "Year 3 (2028/29): fee uplift on the year before must be 100% or less"
    assert page.get_by_role("link", name=message).is_visible()
    fits(page, width)
    page.get_by_label("Year 3 (2028/29): fee uplift on the year before").fill("5")
    page.get_by_role("button", name="Save the plan").click()

    page.get_by_role("heading", level=1, name="LA steps down").wait_for()
    assert page.get_by_text("Deficit £177,460.00").first.is_visible()
    assert page.locator("svg.portal-chart").is_visible()
    assert page.get_by_role("table", name="The plan by year").is_visible()
    fits(page, width)
    page.get_by_role("link", name="Copy it as a new plan").click()
    page.get_by_label("Name of the copy").fill("LA stays")
    page.get_by_role("button", name="Save the copy").click()
    page.get_by_role("heading", name="Change LA stays").wait_for()
    page.get_by_label("Year 3 (2028/29): LA contribution").fill("20000")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("heading", level=1, name="LA stays").wait_for()
    assert Plan.objects.count() == 2
    context.close()

    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(page, board_member.email)
    page.goto("/finance/plans/")
    assert page.get_by_role("link", name="Start a plan").count() == 0
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_role("link", name="Select between 2 and 4 plans to compare").is_visible()
    fits(page, width)
    page.get_by_label("LA steps down").check()
    page.get_by_label("LA stays").check()
    page.get_by_role("button", name="Compare").click()
    page.get_by_role("heading", name="Compare plans").wait_for()
    assert page.get_by_text("2028/29: Deficit £197,418.00").is_visible()  # £882 of fees
    assert page.get_by_text("2028/29: Deficit £177,418.00").is_visible()  # and the LA's £20,000
    fits(page, width)
    context.close()
