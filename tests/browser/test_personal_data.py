"""A coordinator answers a subject access request and erases someone, at 1280 and 375 px."""

import pytest

from partnership.models import User
from tests.factories import UserFactory, school_user

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_coordinator_finds_someone_downloads_their_data_and_erases_it(
    browser, live_server, partnership_record, coordinator, school_a, width
):
    school_user(school_a, first_name="Ann", last_name="Smith", email="ann.smith@school.example")
    school_user(school_a)  # the school keeps a contact
    UserFactory(role="coordinator")  # and the partnership another coordinator
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    sign_in(page, coordinator.email)
    page.goto("/people/")
    page.get_by_role("link", name="Personal data requests").click()
    page.get_by_role("heading", level=1, name="Personal data requests").wait_for()
    page.get_by_label("Name or email address of someone with an account").fill("smith")
    page.get_by_role("button", name="Find").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="Ann Smith").click()
    page.get_by_role("heading", level=1, name="What the portal holds about Ann Smith").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        page.get_by_role("link", name="Download their data (JSON)").click()
    assert download.value.suggested_filename.startswith("personal-data-")

    page.get_by_role("link", name="Erase their data").click()
    page.get_by_role("heading", level=1, name="Erase the data of Ann Smith").wait_for()
    page.get_by_role("button", name="Erase their data").click()
    page.get_by_text("Confirm you have checked this is the right person").first.wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_label("I have checked this is the right person").check()
    page.get_by_role("button", name="Erase their data").click()
    page.get_by_text("Their personal data has been erased").wait_for()
    assert_accessible(page)
    assert not User.objects.filter(email="ann.smith@school.example").exists()

    page.get_by_label("Full name").fill("Nobody Known")
    page.get_by_role("button", name="See what is held").click()
    page.get_by_text("The portal holds nothing about them.").wait_for()
    assert_accessible(page)
    context.close()
