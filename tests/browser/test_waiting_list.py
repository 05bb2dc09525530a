"""Browser journey: a school joins the waiting list of a full CPD session, is offered the place
freed by a cancellation, opens the emailed link, signs in and accepts; the coordinator reads
the list and its history, at 1280 px and on a phone."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from offers import services_bookings as services
from offers.models import Booking, CourseSession
from tests.factories import SchoolFactory, school_user
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_full_session_waiting_offered_accepted_from_the_email_link(
    browser,
    live_server,
    page,
    phone_page,
    settings,
    partnership_record,
    head_a,
    school_a,
    coordinator,
    cpd_course,
    members,
):
    settings.PORTAL_URL = live_server.url
    for each in (page, phone_page):
        each.set_default_timeout(60_000)
    session = CourseSession.objects.create(
        offer=cpd_course,
        title="Early reading leadership",
        date=timezone.localdate() + timedelta(days=40),
        start_time=time(9, 30),
        venue="Civic Centre, Uxbridge",
        places=1,
    )
    other = SchoolFactory(name="Booked Primary School")
    taken = services.book_places(
        school=other, session=session, delegates=["Bea Booked"], by=school_user(other)
    )

    # The session is full: the headteacher joins its waiting list.
    sign_in(page, head_a.email)
    page.goto("/offer/courses/")
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_label("Delegates").fill("Ann Ash")
    page.get_by_role("button", name="Book places").click()
    page.get_by_text("is number 1 on the waiting list").wait_for()
    assert_accessible(page)
    booking = Booking.objects.get(school=school_a)
    assert booking.status == Booking.Status.WAITING

    # The other school cancels: the place is offered to Alpha Primary and emailed.
    mail.outbox.clear()
    services.cancel(booking=taken, by=taken.booked_by)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.OFFERED
    (offer_email,) = [m for m in mail.outbox if m.subject.startswith("A place is offered")]
    link = re.search(r"https?://\S+/offer/places/\S+/", offer_email.body).group(0)

    # The link, opened on a phone without signing in, shows the offer; signing in answers it.
    phone_page.goto(link)
    phone_page.get_by_role("heading", level=1, name="A place is offered: Phonics").wait_for()
    assert_accessible(phone_page)
    no_sideways_scroll(phone_page, 375)
    phone_page.get_by_role("link", name="Sign in to accept or decline").click()
    phone_page.get_by_label("Email").fill(head_a.email)
    phone_page.get_by_label("Password").fill("correct-horse-battery")
    phone_page.get_by_role("button", name="Sign In").click()
    phone_page.get_by_role("button", name="Accept the place").wait_for()
    assert "£120.00" in phone_page.locator(".govuk-summary-list").inner_text()
    assert_accessible(phone_page)
    no_sideways_scroll(phone_page, 375)
    phone_page.get_by_role("button", name="Accept the place").click()
    phone_page.get_by_text(f"booking {booking.reference} is confirmed").wait_for()
    assert_accessible(phone_page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    # The coordinator reads the list's history at 1280 px and on a phone.
    coordinator_page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    coordinator_page.set_default_timeout(60_000)
    sign_in(coordinator_page, coordinator.email)
    coordinator_page.goto(f"/offer/waiting-lists/courses/{session.pk}/")
    coordinator_page.get_by_role("heading", level=1, name="Waiting list").wait_for()
    history = coordinator_page.get_by_role("region", name="Waiting list history").inner_text()
    for step in ("Joined the waiting list", "Place offered", "Place accepted"):
        assert step in history
    assert_accessible(coordinator_page)
    coordinator_page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(coordinator_page)
    no_sideways_scroll(coordinator_page, 375)
