"""Browser journeys: a head books and cancels, the coordinator deploys, a practitioner confirms."""

from datetime import date
from decimal import Decimal

import pytest

from offers import services_bookings as services
from offers.models import Booking, Deployment
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)
from tests.offers.booking_factories import YEAR

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_headteacher_books_support_seeing_price_and_cancellation_rule_then_cancels(
    page, partnership_record, head_a, peer_review, members, standard_tier, school_a
):
    members[school_a.pk] = standard_tier
    sign_in(page, head_a.email)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Offer and bookings"
    ).click()
    page.get_by_role("navigation", name="Offer and bookings").get_by_role(
        "link", name="Bookings"
    ).click()
    page.get_by_role("heading", level=1, name="Bookings").wait_for()
    page.get_by_role("link", name="Book support").click()
    assert_accessible(page)
    page.get_by_label("Offer", exact=True).select_option(label="Peer review (per review)")
    page.get_by_label("Units").fill("2")
    page.get_by_label("Preferred dates or term (optional)").fill("Spring term")
    page.get_by_label("Purchase order number (optional)").fill("PO-4471")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your booking").wait_for()
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "£1,000.00" in summary  # one of two reviews included, the other at the member price
    assert "Free to cancel until 14 days before the first date; after that, 50%" in summary
    assert_accessible(page)
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_text("is confirmed").wait_for()
    assert_accessible(page)
    booking = Booking.objects.get()
    assert (booking.units, booking.included_units, booking.purchase_order) == (
        D("2"),
        D("1"),
        "PO-4471",
    )
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_text("Charge if you cancel today").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel this booking").click()
    # No first date is set yet, so cancelling is free.
    page.get_by_text("cancelled free of charge").wait_for()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


@pytest.fixture
def confirmed_days(school_a, head_a, coordinator, lle_days, members, standard_tier):
    members[school_a.pk] = standard_tier
    booking = services.book(
        school=school_a, offer=lle_days, units=D("2"), by=head_a, academic_year=YEAR
    )
    return services.confirm(booking=booking, by=coordinator)


def test_coordinator_deploys_a_practitioner_and_sees_the_week(
    page, partnership_record, coordinator, confirmed_days, sam, rita
):
    sign_in(page, coordinator.email)
    page.goto(f"/offer/bookings/{confirmed_days.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Deploy a practitioner").click()
    assert_accessible(page)
    page.get_by_label("Practitioner").select_option(
        label="Rita Patel, Specialist Leader of Education (£500.00 a day)"
    )
    # One date picker a day.
    page.get_by_label("Dates", exact=True).fill("2026-11-23")
    page.get_by_label("Date 2", exact=True).fill("2026-11-24")
    page.get_by_label("Days").fill("2")
    page.get_by_role("button", name="Deploy").click()
    page.get_by_text("Rita Patel is deployed for 2 days at Alpha Primary School").wait_for()
    deployment = Deployment.objects.get()
    assert list(deployment.dates.values_list("date", flat=True)) == [
        date(2026, 11, 23),
        date(2026, 11, 24),
    ]
    page.goto("/offer/deployments/calendar/?week=2026-W48")
    page.get_by_role(
        "heading", level=1, name="Deployments: 23 November to 27 November 2026"
    ).wait_for()
    assert (
        page.get_by_role("row", name="Rita Patel").inner_text().count("Alpha Primary School") == 2
    )
    assert_accessible(page)
    page.goto("/offer/bookings/demand/")
    assert_accessible(page)


def test_practitioner_confirms_their_days_delivered(
    page, partnership_record, practitioner_user, coordinator, confirmed_days, sam
):
    deployment = services.deploy(
        work=confirmed_days,
        practitioner=sam,
        dates=[date(2026, 11, 16), date(2026, 11, 17)],
        days=D("2"),
        by=coordinator,
    )
    sign_in(page, practitioner_user.email)
    page.get_by_role("heading", level=1, name="Your deployments").wait_for()
    assert_accessible(page)
    # Their section opens on their deployments.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Offer and bookings"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Confirm days delivered").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm these days were delivered").click()
    page.get_by_text("2 days at Alpha Primary School recorded as delivered").wait_for()
    deployment.refresh_from_db()
    assert (deployment.status, deployment.cost) == (Deployment.Status.DELIVERED, D("900.00"))
    confirmed_days.refresh_from_db()
    assert confirmed_days.status == Booking.Status.DELIVERED
