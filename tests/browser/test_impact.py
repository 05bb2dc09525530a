"""Browser journey: the coordinator agrees an objective on a booking (on a phone and a
desktop) and the practitioner deployed reviews it from their dashboard."""

from datetime import date
from decimal import Decimal

import pytest

from offers import services_bookings as services
from offers.models import SupportObjective
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)
from tests.offers.booking_factories import YEAR

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_coordinator_adds_an_objective_and_the_practitioner_reviews_it(
    request,
    viewport,
    partnership_record,
    coordinator,
    practitioner_user,
    school_a,
    head_a,
    lle_days,
    members,
    standard_tier,
    sam,
):
    page = request.getfixturevalue(viewport)
    members[school_a.pk] = standard_tier
    booking = services.confirm(
        booking=services.book(
            school=school_a, offer=lle_days, units=D("2"), by=head_a, academic_year=YEAR
        ),
        by=coordinator,
    )
    services.deploy(
        work=booking, practitioner=sam, dates=[date(2026, 11, 16)], days=D("1"), by=coordinator
    )
    sign_in(page, coordinator.email)
    page.goto(f"/offer/bookings/{booking.pk}/")
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_role("button", name="Add objective").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Objective").fill("Improve phonics in Year 1")
    page.get_by_label("Expected impact").fill("90% pass the phonics screening check")
    page.get_by_label("Agreed on").fill("16/11/2026")
    page.get_by_role("button", name="Add objective").click()
    page.get_by_text("Objective added to").wait_for()
    assert "Not yet reviewed" in page.locator("#main-content").inner_text()
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.context.clear_cookies()

    sign_in(page, practitioner_user.email)
    page.get_by_role("link", name=f"{school_a.name}, Extra LLE support").click()
    page.get_by_role("heading", name="Review an objective").wait_for()
    assert_accessible(page)
    page.get_by_label("Partly met").check()
    page.get_by_label("Evidence").fill("84% passed the check")
    page.get_by_label("Reviewed on").fill("01/12/2026")
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("Objective reviewed: partly met").wait_for()
    objective = SupportObjective.objects.get()
    assert (objective.rating, objective.reviewed_by) == ("amber", practitioner_user)
    _no_sideways_scroll(page)
