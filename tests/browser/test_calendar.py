"""A headteacher finds their calendar address, a calendar app reads it, and they reset it."""

import pytest

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_a_headteacher_subscribes_to_their_calendar_and_resets_its_address(
    request, fixture, partnership_record, head_a
):
    page = request.getfixturevalue(fixture)
    sign_in(page, head_a.email)
    page.get_by_role("link", name="Add your dates to your own calendar").click()
    page.get_by_role("heading", name="Your calendar").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    address = page.get_by_label("Your calendar address").input_value()
    feed = page.context.request.get(address)  # as a calendar app would: no sign-in needed
    assert feed.status == 200
    assert feed.text().startswith("BEGIN:VCALENDAR")

    page.get_by_role("button", name="Make a new address").click()
    page.get_by_text("Your calendar has a new address").wait_for()
    assert page.get_by_label("Your calendar address").input_value() != address
    assert page.context.request.get(address).status == 404
    assert_accessible(page)
