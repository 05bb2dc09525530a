"""A visitor who has not signed in walks the public pages of the demo partnership, on a
desktop (1280 px) and on a phone (375 px): the offer, the fee calculator finding a school
by postcode, how to join, contact, the accessibility statement, the privacy notice and the
sign-in page. Every page: axe at zero violations and nothing wider than the screen."""

import os
from pathlib import Path

import pytest

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, name):
    """Accessible, no sideways scrolling, and (when BROWSER_SCREENSHOTS names a folder) a
    screenshot of the whole page to look at."""
    assert_accessible(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    footer = page.locator("footer")
    for link in ("Contact", "Accessibility statement", "Privacy notice"):
        assert footer.get_by_role("link", name=link, exact=True).count() == 1
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/public-{width}-{name}.png", full_page=True)


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_visitor_reads_the_offer_finds_a_schools_fee_and_how_to_join(request, demo, screen):
    page = request.getfixturevalue(screen)
    page.goto("/")
    page.get_by_role(
        "heading", level=1, name="Hillingdon Schools' Improvement Partnership"
    ).wait_for()
    assert page.get_by_role("heading", name="What the partnership offers").is_visible()
    assert page.get_by_role("heading", name="How to join").is_visible()
    assert page.get_by_role("button", name="Sign in", exact=True).is_visible()
    check(page, "home")

    page.get_by_role("link", name="See everything the partnership offers, with prices").click()
    page.get_by_role("heading", level=1, name="What the partnership offers").wait_for()
    assert page.get_by_text("Includes: Adviser health check visit, 2 visits; Peer review").count()
    check(page, "offer")
    page.get_by_role("link", name="Peer review", exact=True).click()
    page.get_by_role("heading", level=1, name="Peer review").wait_for()
    assert page.get_by_role("row", name="Non-member Secondary £1,900.00").count() == 1
    check(page, "offer-detail")

    page.goto("/")
    page.get_by_role("button", name="Find your school's fee").click()
    page.get_by_role("heading", level=1, name="Membership fees").wait_for()
    check(page, "fees")
    # Too little to search for: the GOV.UK error pattern, linked to the field.
    page.get_by_label("School name, URN or postcode").fill("ab")
    page.get_by_role("button", name="Find school").click()
    page.locator(".govuk-error-summary").get_by_role(
        "link", name="Enter at least 3 letters of the school's name"
    ).wait_for()
    check(page, "fees-error")

    page.get_by_label("School name, URN or postcode").fill("ub8 3pj")
    page.get_by_role("button", name="Find school").click()
    page.get_by_role("heading", name="1 school found").wait_for()
    page.get_by_role("link", name="Brookfield Primary School").click()
    page.get_by_role("heading", level=1, name="Brookfield Primary School").wait_for()
    assert "/fees/?urn=102401" in page.url
    page.get_by_role("heading", name="Basic membership: £772.50").wait_for()
    basic = page.locator(".govuk-summary-card").filter(has_text="Basic membership")
    assert "412 pupils × £2.50 = £1,030.00; joined in December: 9/12" in basic.inner_text()
    assert "Adviser health check visit, 2 visits" in basic.inner_text()
    assert page.get_by_text("use the census of 15 January 2026").count() == 1
    check(page, "fees-school")

    page.goto("/fees/?urn=999999")
    page.get_by_text("There is no open school with URN 999999 in the register.").wait_for()
    check(page, "fees-unknown")

    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.get_by_role("heading", level=1, name="Accessibility statement").wait_for()
    check(page, "accessibility")
    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    page.get_by_role("heading", level=1, name="Privacy notice").wait_for()
    check(page, "privacy")
    page.locator("footer").get_by_role("link", name="Contact", exact=True).click()
    page.get_by_role("heading", level=1, name="Contact the partnership").wait_for()
    assert page.get_by_role("link", name="partnership@example.org").count() == 1
    check(page, "contact")
    page.get_by_role("link", name="How to join the partnership").click()
    page.get_by_role("heading", level=1, name="How to join").wait_for()
    check(page, "join")

    page.goto("/accounts/login/")
    page.get_by_role("heading", level=1, name="Sign in").wait_for()
    assert page.get_by_text("sign up").count() == 0
    check(page, "sign-in")
