"""Browser journey: a headteacher expresses interest, signs the costed agreement, and the
coordinator approves it."""

from datetime import date
from decimal import Decimal

import pytest

from membership import services
from membership.models import Membership

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def membership_set_up(partnership_record, monkeypatch):
    # Before the year starts, so the fee is the full year's whatever day the test runs.
    monkeypatch.setattr(services, "today", lambda: date(2026, 8, 20))
    year, _ = services.load_membership_year(academic_year="2026/27", census_date=date(2026, 1, 15))
    core, _ = services.load_tier(code="core", name="Core membership", order=0)
    secondary, _ = services.load_tier(code="secondary-only", name="Secondary subscription", order=1)
    services.load_fee_scheme(tier=core, year=year, kind="per_pupil", rate=Decimal("19"))
    services.load_fee_scheme(
        tier=secondary, year=year, kind="by_category", category_amounts={"secondary": "4200"}
    )
    return year


def test_headteacher_signs_up_and_coordinator_approves(
    page, membership_set_up, head_a, coordinator
):
    sign_in(page, head_a.email)
    page.get_by_role("link", name="Membership", exact=True).click()
    page.get_by_role("heading", level=1, name="Alpha Primary School").wait_for()
    page.get_by_role("link", name="Tell us your interest first").click()
    page.get_by_label("Yes, we intend to join").check()
    page.get_by_label("Which membership are you most interested in?").select_option(
        label="Core membership"
    )
    page.get_by_label("Anything the partnership should know").fill("Governors agreed in July")
    page.get_by_role("button", name="Send expression of interest").click()
    page.get_by_text("your interest in 2026/27 membership is recorded").wait_for()

    page.get_by_role("link", name="Sign the costed agreement").click()
    page.get_by_role("heading", level=1, name="Costed agreement for 2026/27").wait_for()
    assert page.get_by_text("420 pupils × £19.00 = £7,980.00").is_visible()
    assert page.get_by_label(
        "Secondary subscription: cannot be costed for your school"
    ).is_disabled()
    assert_accessible(page)
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_text("Confirm that you accept the terms of membership").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Core membership: £7,980.00").check()
    page.get_by_label("Purchase order number").fill("PO-4471")
    page.get_by_label("I accept the terms of membership").check()
    page.get_by_role("button", name="Sign the agreement").click()

    page.get_by_text("Agreement signed: Core membership for 2026/27, £7,980.00.").wait_for()
    assert page.locator(".govuk-tag", has_text="Awaiting approval").first.is_visible()
    assert page.get_by_text("PO-4471").is_visible()
    assert_accessible(page)
    membership = Membership.objects.get()
    assert (membership.status, membership.fee_amount) == ("pending", Decimal("7980.00"))

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, coordinator.email)
    page.get_by_role("link", name="Alpha Primary School").click()
    page.get_by_role("heading", level=1, name="Alpha Primary School").wait_for()
    page.get_by_label("Approve: the membership becomes active").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Alpha Primary School is now an active member for 2026/27").wait_for()
    assert page.locator(".govuk-tag", has_text="Active").first.is_visible()
    assert_accessible(page)
    membership.refresh_from_db()
    assert membership.status == "active"


def test_coordinator_pages_are_accessible(page, membership_set_up, school_a, head_a, coordinator):
    services.submit_expression_of_interest(
        school=school_a, year=membership_set_up, intent="maybe", by=head_a, notes="Budget"
    )
    sign_in(page, coordinator.email)
    for path, heading in [
        ("/membership/all/", "Memberships"),
        ("/membership/interest/", "Expressions of interest"),
        ("/membership/renewals/", "Renewals and lapsing"),
        ("/membership/fee-schedule/", "Fee schedule"),
    ]:
        page.goto(path)
        page.get_by_role("heading", level=1, name=heading).wait_for()
        assert_accessible(page)
    assert page.get_by_role("cell", name="£7,980.00").first.is_visible()


def test_agreement_fits_a_phone(phone_page, membership_set_up, school_a, head_a):
    sign_in(phone_page, head_a.email)
    phone_page.goto(f"/membership/schools/{school_a.urn}/agreement/")
    phone_page.get_by_role("heading", level=1, name="Costed agreement for 2026/27").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone_page)
