"""Journeys through the offer catalogue: the coordinator prices an offer, a headteacher browses."""

import re

import pytest

from offers.models import Offer
from offers.selectors_catalogue import offer_prices
from tests.offers import catalogue_factories as make

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_an_offer_with_prices_and_sees_it_in_the_catalogue(
    page, partnership_record, coordinator
):
    make.provider("lle", "LLE and SLE network")
    sign_in(page, coordinator.email)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Offer and bookings"
    ).click()
    page.get_by_role("navigation", name="Offer and bookings").get_by_role(
        "link", name="Manage offer"
    ).click()
    page.get_by_role("link", name="Offers", exact=True).click()
    page.get_by_role("link", name="Add an offer").click()

    # Saving an empty form shows the error summary first.
    page.get_by_role("button", name="Save offer").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_text("Enter the offer's name").wait_for()
    assert_accessible(page)

    page.get_by_label("Code").fill("lle-support")
    page.get_by_label("Name").fill("Extra LLE support")
    page.get_by_label("Description").fill("Up to two days of an LLE's time.")
    page.get_by_label("Additional offer").check()
    page.get_by_label("Provider").select_option(label="LLE and SLE network")
    page.get_by_label("Unit it is sold in").select_option("day")
    page.get_by_label("Capacity").fill("42")
    phases = page.get_by_role("group", name="School categories it is for")
    phases.get_by_label("Primary").check()
    phases.get_by_label("Secondary").check()
    member = page.get_by_role("group", name="Member price", exact=True)
    member.get_by_label("All schools (£)").fill("525")
    member.get_by_text("Different member price by kind of school").click()
    member.get_by_label("Secondary (£)").fill("1,050")
    page.get_by_role("group", name="Non-member price").get_by_label("All schools (£)").fill("650")
    page.get_by_role("group", name="Unit cost to the partnership").get_by_label(
        "All schools (£)"
    ).fill("500")
    page.get_by_label("Free to cancel until (days before the first date)").fill("14")
    page.get_by_label("Charge after that (% of the booking's charge)").fill("50")
    page.get_by_role("button", name="Save offer").click()

    page.get_by_text("Extra LLE support added").wait_for()
    offer = Offer.objects.get(code="lle-support")
    assert offer_prices(offer)["member"] == {"": 525, "secondary": 1050}
    assert offer.phases == ["primary", "secondary"]

    page.get_by_role("link", name="Offer catalogue").first.click()
    page.get_by_label("Phase or category").select_option(label="Secondary")
    page.get_by_role("button", name="Apply filters").click()
    row = page.get_by_role("row").filter(has_text="Extra LLE support")
    assert "£1,050.00" in row.inner_text()
    assert "£650.00" in row.inner_text()
    assert "42 days" in row.inner_text()
    assert_accessible(page)

    row.get_by_role("link", name="Extra LLE support").click()
    page.get_by_text("Free to cancel until 14 days before the first date").wait_for()
    assert (
        page.get_by_role("row", name="Unit cost to the partnership All schools £500.00").count()
        == 1
    )


def test_headteacher_browses_filters_and_opens_an_offer(page, partnership_record, head_a):
    make.hillingdon_catalogue()
    sign_in(page, head_a.email)
    # The section opens on the catalogue.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Offer and bookings"
    ).click()
    page.get_by_role("heading", level=1, name="Offer catalogue").wait_for()
    page.get_by_text("Prices are for Alpha Primary School, a primary school.").wait_for()
    assert_accessible(page)

    review = page.get_by_role("row").filter(has_text="Peer review")
    assert "£1,000.00" in review.inner_text()
    assert "£1,200.00" in review.inner_text()

    page.get_by_label("Strand").select_option(label="Core offer")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"strand=core"))
    assert page.get_by_role("link", name="Adviser health check visit").is_visible()
    assert page.get_by_role("link", name="Peer review").count() == 0

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Peer review").click()
    page.get_by_role("heading", level=1, name="Peer review").wait_for()
    assert page.get_by_text("Member price for primary schools", exact=True).is_visible()
    assert_accessible(page)
