"""Browser journey: a delegate with no account opens the emailed link on a phone, returns the
evaluation (the form posts from the portal's own origin, so the CSRF check passes), and the
link then serves no more."""

from datetime import time

import pytest
from django.core import mail
from django.utils import timezone

from offers import services_bookings as services
from offers.models import CourseSession, Evaluation
from offers.services_attendance import Delegate, take_register
from offers.services_evaluation_links import send_evaluation_links
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_delegate_evaluates_from_the_emailed_link_on_a_phone(
    live_server, phone_page, partnership_record, school_a, head_a, cpd_course, sam, coordinator
):
    session = CourseSession.objects.create(
        offer=cpd_course,
        title="Day 1: leading phonics",
        date=timezone.localdate(),
        start_time=time(0, 0),
        venue="Civic Centre, Uxbridge",
        places=10,
        facilitator=sam,
    )
    booking = services.book_places(
        school=school_a,
        session=session,
        delegates=[Delegate("Ann Ash", "ann@alpha.sch.uk")],
        by=head_a,
    )
    ann = booking.delegates.get()
    take_register(session=session, marks={ann.pk: "present"}, by=coordinator)
    mail.outbox.clear()
    assert send_evaluation_links(session=session, base_url=live_server.url) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/offer/evaluate/" in line)

    page = phone_page
    page.set_default_timeout(60_000)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Return the evaluation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    for group in page.locator("fieldset").all():
        group.get_by_label("4", exact=True).check()
    page.get_by_label("Comments (optional)").fill("Practical and well paced.")
    page.get_by_role("button", name="Return the evaluation").click()
    page.get_by_role("heading", name="Evaluation returned").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Evaluation.objects.get(place=ann).comments == "Practical and well paced."

    page.goto(link)
    page.get_by_role("heading", name="This link cannot be used").wait_for()
    assert "cannot be used again" in page.content()
