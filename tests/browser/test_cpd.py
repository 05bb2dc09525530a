"""Browser journey: a school books a CPD place, the facilitator marks the register on a phone,
the school returns the evaluation and downloads the certificate."""

import io
from datetime import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from offers.models import Booking, CourseSession
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_booked_place_register_evaluation_and_certificate(
    browser, live_server, page, phone_page, partnership_record, head_a, cpd_course, sam
):
    # A session today that has already started (from midnight), run by Sam.
    session = CourseSession.objects.create(
        offer=cpd_course,
        title="Day 1: leading phonics",
        date=timezone.localdate(),
        start_time=time(0, 0),
        end_time=time(23, 0),
        venue="Civic Centre, Uxbridge",
        places=10,
        facilitator=sam,
    )
    # A long journey on a shared test machine: pages are given a minute to load.
    for each in (page, phone_page):
        each.set_default_timeout(60_000)
    # The headteacher books a place for Ann (1280 px).
    sign_in(page, head_a.email)
    page.goto("/offer/courses/")
    assert_accessible(page)
    page.get_by_role("link", name="Book places").click()
    page.get_by_label("Delegates").fill("Ann Ash")
    assert_accessible(page)
    page.get_by_role("button", name="Book places").click()
    page.get_by_role("heading", level=1, name="Booking").wait_for()
    assert_accessible(page)
    booking = Booking.objects.get()
    assert booking.session == session

    # Sam takes the register on a phone (375 px): Ann is present.
    sign_in(phone_page, sam.user.email)
    phone_page.goto("/offer/courses/registers/")
    assert_accessible(phone_page)
    no_sideways_scroll(phone_page, 375)
    phone_page.get_by_role("link", name="Register for Day 1: leading phonics").click()
    phone_page.get_by_role("heading", level=1, name="Register: Day 1: leading phonics").wait_for()
    assert_accessible(phone_page)
    no_sideways_scroll(phone_page, 375)
    phone_page.get_by_role("group", name="Ann Ash").get_by_label("Present").check()
    phone_page.get_by_role("button", name="Save the register").click()
    phone_page.get_by_text("Register saved").wait_for()
    assert_accessible(phone_page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DELIVERED

    # The school returns Ann's evaluation on a phone, then downloads her certificate.
    school_phone = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    ).new_page()
    school_phone.set_default_timeout(60_000)
    sign_in(school_phone, head_a.email)
    school_phone.goto("/offer/delegates/")
    assert_accessible(school_phone)
    no_sideways_scroll(school_phone, 375)
    school_phone.get_by_role("link", name="Return the evaluation").click()
    assert_accessible(school_phone)
    no_sideways_scroll(school_phone, 375)
    for question in (
        "How well did the session meet its aims?",
        "How useful was it for your work in school?",
        "How well was it led?",
        "How likely are you to change your practice as a result?",
    ):
        school_phone.get_by_role("group", name=question).get_by_label("5 (excellent)").check()
    school_phone.get_by_label("Comments (optional)").fill("Practical and clear.")
    school_phone.get_by_role("button", name="Return the evaluation").click()
    school_phone.get_by_text("certificate can be downloaded").wait_for()
    assert_accessible(school_phone)
    no_sideways_scroll(school_phone, 375)
    with school_phone.expect_download() as download:
        school_phone.get_by_role("link", name="Download certificate").click()
    with open(download.value.path(), "rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Ann Ash" in text and "Day 1: leading phonics" in text

    # And at 1280 px the delegates list and the evaluation pass axe too.
    page.goto("/offer/delegates/")
    assert_accessible(page)
    page.get_by_role("link", name="Evaluation").first.click()
    page.get_by_text("5 out of 5").first.wait_for()
    assert_accessible(page)
    school_phone.context.close()
