"""A person from a school who has no account asks for one, the coordinator approves it, and
the person follows the invitation, chooses a password and lands on their school's
dashboard. On a desktop (1280 px) and a phone (375 px): axe at zero violations and no
sideways scrolling on every page."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from schools.models import AccessRequest

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
NEW_PASSWORD = "a-long-new-passphrase-2026"


def check(page, name):
    """Accessible, and nothing wider than the screen (BROWSER_SCREENSHOTS keeps a picture)."""
    assert_accessible(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/access-{width}-{name}.png", full_page=True)


def new_page(browser, live_server, screen):
    phone = screen == "phone"
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,  # only so axe-core can be injected
        viewport=SCREENS[screen],
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    return context, page


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_head_asks_for_access_is_approved_and_lands_on_their_dashboard(
    browser, live_server, partnership_record, school_a, coordinator, screen
):
    applicant_context, page = new_page(browser, live_server, screen)

    page.goto("/")
    page.get_by_role("link", name="Request access").first.click()
    page.get_by_role("heading", level=1, name="Find your school").wait_for()
    check(page, "find")
    page.get_by_label("School name, URN or postcode").fill("Alpha")
    page.get_by_role("button", name="Find school").click()
    page.get_by_role("heading", name="1 school found").wait_for()
    page.get_by_role("link", name="Alpha Primary School").click()
    page.get_by_role("heading", level=1, name="Your details").wait_for()
    check(page, "details")

    # Nothing filled in: every question is named in the error summary, linked to its field.
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    for message in (
        "Enter your first name",
        "Enter your last name",
        "Select your role at the school",
        "Enter your work email address",
    ):
        assert summary.get_by_role("link", name=message, exact=True).count() == 1, message
    check(page, "details-errors")
    assert not AccessRequest.objects.exists()

    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newhead")
    page.get_by_label("Headteacher", exact=True).check()
    page.get_by_label("Work email address").fill("nia.newhead@alpha.sch.uk")
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", level=1, name="Request sent").wait_for()
    check(page, "sent")
    assert [message.to for message in mail.outbox] == [["nia.newhead@alpha.sch.uk"]]

    # The coordinator sees it waiting on their dashboard and approves it.
    coordinator_context, desk = new_page(browser, live_server, screen)
    sign_in(desk, coordinator.email)
    desk.get_by_role("heading", level=1, name="Coordinator dashboard").wait_for()
    check(desk, "dashboard")
    desk.get_by_role("link", name="1 request waiting for a decision").click()
    desk.get_by_role("heading", level=1, name="Requests for access").wait_for()
    check(desk, "queue")
    desk.get_by_role("link", name="Nia Newhead").click()
    desk.get_by_role("heading", level=1, name="Nia Newhead").wait_for()
    check(desk, "request")
    desk.get_by_role("button", name="Approve and send invitation").click()
    desk.get_by_text("Approved: Nia Newhead is invited to act for Alpha Primary School").wait_for()
    check(desk, "approved")
    coordinator_context.close()

    # The invitation's link: choose a password, and land signed in on the school's dashboard.
    invitation = mail.outbox[-1]
    assert invitation.to == ["nia.newhead@alpha.sch.uk"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)
    page.goto(link)
    page.get_by_role("heading", level=1, name="Choose your password").wait_for()
    check(page, "choose-password")
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password and sign in").click()
    page.get_by_role("heading", level=1, name="Your school").wait_for()
    assert page.url.endswith("/dashboard/")
    assert page.get_by_text("Alpha Primary School").first.is_visible()
    check(page, "landed")
    applicant_context.close()
