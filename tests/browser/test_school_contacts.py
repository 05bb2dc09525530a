"""A coordinator manages a school's contacts from its record, at phone and desktop widths."""

import re

import pytest

from schools.models import SchoolContact

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_coordinator_adds_changes_and_marks_contacts_as_left(
    browser, live_server, partnership_record, coordinator, school_a, head_a, width
):
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": width, "height": 900},
        is_mobile=width < 400,
        has_touch=width < 400,
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        sign_in(page, coordinator.email)
        page.goto(f"/schools/{school_a.urn}/")
        page.get_by_role("heading", level=2, name="Contacts").wait_for()

        # A chair of governors, who has no portal account.
        page.get_by_role("link", name="Add a contact").click()
        page.get_by_role("button", name="Add contact").click()
        page.get_by_role("heading", name="There is a problem").wait_for()
        assert page.title().startswith("Error: ")
        assert_accessible(page)
        page.get_by_label("Full name").fill("Carol Chair")
        page.get_by_label("Email address (optional)").fill("chair@alpha.example")
        page.get_by_label("Chair of governors").check()
        page.get_by_role("button", name="Add contact").click()
        page.get_by_text("Carol Chair added as a contact").wait_for()

        # The head also leads the school's CPD.
        page.get_by_role(
            "link", name=f"Change {head_a.get_full_name()}'s role (Headteacher)"
        ).click()
        page.get_by_label("CPD lead: copied on booking confirmations").check()
        page.get_by_role("button", name="Save changes").click()
        page.get_by_text(f"{head_a.get_full_name()}'s details are changed").wait_for()

        headings = page.locator("#contacts ~ h3").all_inner_texts()
        assert headings[:5] == [
            "Headteacher",
            "School business manager",
            "Chair of governors",
            "Finance contact",
            "CPD lead",
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)

        page.get_by_role("link", name=re.compile(r"Mark as left.*Carol Chair")).click()
        page.get_by_label("Date they left").fill("31/08/2026")
        page.get_by_role("button", name="Record that they have left").click()
        page.get_by_text("Carol Chair is recorded as having left Alpha Primary School").wait_for()
        page.get_by_text("People who have left (1)").click()
        page.get_by_text("left on 31 August 2026").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
    finally:
        context.close()
    chair = SchoolContact.objects.get(name="Carol Chair")
    assert (chair.role, chair.left_on.isoformat()) == ("chair_of_governors", "2026-08-31")
    assert SchoolContact.objects.get(user=head_a).is_cpd_lead
