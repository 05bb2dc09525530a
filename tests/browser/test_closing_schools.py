"""The coordinator's list of schools closing with work still open, and a converted school's
record linking the academy it became, at 1280 and 375 px, with axe."""

import datetime
from decimal import Decimal

import pytest

from membership import services
from membership.models import MembershipYear
from offers.models import Tier
from tests.factories import SchoolFactory

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_coordinator_sees_a_converting_school_and_opens_its_academy(
    browser, live_server, partnership_record, coordinator, width
):
    year, _ = services.load_membership_year(
        academic_year="2026/27", census_date=datetime.date(2026, 1, 15)
    )
    MembershipYear.objects.filter(pk=year.pk).update(is_current=True)
    tier, _ = services.load_tier(code="core", name="Core membership")
    services.load_fee_scheme(tier=tier, year=year, kind="flat", flat_amount=Decimal("500.00"))
    elm = SchoolFactory(
        name="Elm Primary",
        status="closed",
        gias_status="Closed",
        closed_on=datetime.date(2026, 12, 31),
        pupils=200,
    )
    services.sign_agreement(
        school=elm, year=year, tier=Tier.objects.get(), by=None, on=datetime.date(2026, 6, 15)
    )
    SchoolFactory(
        name="Elm Academy",
        governance="academy",
        type_group="Academies",
        predecessor=elm,
        opened_on=datetime.date(2027, 1, 1),
    )
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(page, coordinator.email)
    page.goto("/membership/closing-schools/")
    page.get_by_role("heading", level=1, name="Schools closing with work still open").wait_for()
    page.get_by_role("link", name="Elm Primary").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="Elm Academy").click()
    page.get_by_role("heading", level=1, name="Elm Academy").wait_for()
    page.get_by_role("link", name="Elm Primary").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
