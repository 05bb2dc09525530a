"""Browser journey: the coordinator sets the buy-back window and reads the answers; a
headteacher on a phone tells the partnership the school is not renewing."""

from datetime import date
from decimal import Decimal

import pytest

from membership import services
from membership.models import Membership, MembershipYear

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def renewal_invited(partnership_record, monkeypatch, school_a, coordinator):
    monkeypatch.setattr(services, "today", lambda: date(2027, 4, 15))  # in the window
    year, _ = services.load_membership_year(academic_year="2026/27", census_date=date(2026, 1, 15))
    following, _ = services.load_membership_year(
        academic_year="2027/28", census_date=date(2027, 1, 21)
    )
    core, _ = services.load_tier(code="core", name="Core membership", order=0)
    for each in (year, following):
        services.load_fee_scheme(tier=core, year=each, kind="per_pupil", rate=Decimal("19"))
    services.approve(
        membership=services.sign_agreement(
            school=school_a, year=year, tier=core, by=None, on=date(2026, 8, 1)
        ),
        by=None,
    )
    services.set_buy_back_window(
        year=following, opens=date(2027, 3, 1), closes=date(2027, 5, 31), by=coordinator
    )
    services.offer_renewals(year=year, by=coordinator)
    return following


def test_coordinator_moves_the_window_and_reads_the_answers(page, renewal_invited, coordinator):
    sign_in(page, coordinator.email)
    page.goto("/membership/renewals/")
    page.get_by_role("heading", name="Buy-back window for 2027/28").wait_for()
    assert_accessible(page)
    page.get_by_label("Buy-back closes").fill("2027-02-01")
    page.get_by_role("button", name="Save the buy-back window").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    page.get_by_role("link", name="Buy-back must close on or after the day it opens").wait_for()
    assert_accessible(page)
    page.get_by_label("Buy-back closes").fill("2027-06-15")
    page.get_by_role("button", name="Save the buy-back window").click()
    page.get_by_text("Buy-back window for 2027/28 saved").wait_for()
    assert MembershipYear.objects.get(academic_year="2027/28").buy_back_closes == date(2027, 6, 15)
    page.get_by_role("link", name="See each school's answer").click()
    page.get_by_role("heading", level=1, name="Renewal responses").wait_for()
    assert page.get_by_role("cell", name="No response").is_visible()
    assert_accessible(page)


def test_headteacher_on_a_phone_says_the_school_is_not_renewing(
    phone_page, renewal_invited, school_a, head_a
):
    sign_in(phone_page, head_a.email)
    phone_page.goto(f"/membership/schools/{school_a.urn}/")
    phone_page.get_by_text("Please answer by 31 May 2027").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="We are not renewing").click()
    phone_page.get_by_role("heading", name="Tell us you are not renewing for 2027/28?").wait_for()
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="We are not renewing").click()
    phone_page.get_by_text("You have told us you are not renewing for 2027/28").wait_for()
    renewal = Membership.objects.get(year=renewal_invited)
    assert renewal.status == Membership.Status.WITHDRAWN
