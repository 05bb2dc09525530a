"""Register journeys: a coordinator imports GIAS and finds a school; a head sees only theirs."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from schools.models import School

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_coordinator_imports_gias_searches_and_opens_a_school(
    page, partnership_record, coordinator
):
    sign_in(page, coordinator.email)
    page.get_by_role("link", name="Schools", exact=True).click()
    page.get_by_role("link", name="Import from GIAS").click()
    page.get_by_role("heading", level=1, name="Import schools from GIAS").wait_for()
    assert_accessible(page)

    # The partnership's LA (312) is filled in, so Camden's three schools are skipped.
    assert page.get_by_label("Local authority codes").input_value() == "312"
    page.get_by_label("GIAS establishment file (CSV)").set_input_files(EXAMPLES / "gias-demo.csv")
    page.get_by_label("Census date").fill("2026-01-15")
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", level=1, name="Import report").wait_for()
    assert page.locator("[data-count=created]").inner_text() == "40"
    assert page.locator("[data-count=rejected]").inner_text() == "0"
    assert School.objects.count() == 40

    # A second file with bad rows: the rejected lines are listed in a table.
    page.get_by_role("link", name="Import another file").click()
    page.get_by_role("heading", level=1, name="Import schools from GIAS").wait_for()
    page.get_by_label("GIAS establishment file (CSV)").set_input_files(
        EXAMPLES / "gias-demo-bad.csv"
    )
    page.get_by_label("Census date").fill("2026-01-15")
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", level=1, name="Import report").wait_for()
    assert page.locator("[data-count=updated]").inner_text() == "1"
    table = page.get_by_role("table", name="Rejected rows")
    assert table.get_by_role("row").nth(1).inner_text().split("\t") == [
        "3",
        "NumberOfPupils “276.5” is not a whole number",
    ]
    assert_accessible(page)

    # Both imports are on record on the upload page.
    page.get_by_role("link", name="Import another file").click()
    imports = page.get_by_role("table", name="Recent imports")
    expect(imports.get_by_role("row")).to_have_count(3)  # the header and two imports
    assert_accessible(page)
    imports.get_by_role("link", name="gias-demo.csv").click()
    page.get_by_role("heading", level=1, name="Import report").wait_for()

    page.get_by_role("link", name="Go to the list of schools").click()
    page.get_by_label("Name or URN").fill("Église")
    page.get_by_role("button", name="Apply filters").click()
    results = page.get_by_role("table", name="Schools")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and one school
    assert_accessible(page)

    results.get_by_role("link", name="St Mary's Église Catholic Primary School").click()
    page.get_by_role("heading", level=1, name="St Mary's Église Catholic Primary School").wait_for()
    assert page.get_by_text("Voluntary aided (maintained)", exact=True).is_visible()
    assert page.get_by_role("cell", name="268").is_visible()
    assert_accessible(page)


def test_headteacher_sees_only_their_own_school(phone_page, head_a, school_a, school_b):
    page = phone_page
    sign_in(page, head_a.email)
    page.get_by_role("heading", level=1, name="Your school").wait_for()
    page.goto("/schools/")
    page.get_by_role("heading", level=1, name="Alpha Primary School").wait_for()
    assert page.url.endswith(f"/schools/{school_a.urn}/")
    assert page.get_by_role("link", name="Invite a school user").count() == 0
    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    response = page.goto(f"/schools/{school_b.urn}/")
    assert response.status == 403
    assert "Beta Primary School" not in page.content()


def test_coordinator_flags_a_school_causing_concern(page, coordinator, school_a):
    sign_in(page, coordinator.email)
    page.goto(f"/schools/{school_a.urn}/")
    page.get_by_role("link", name="Change whether the school is causing concern").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Why the school is causing concern").fill("Ofsted: serious weaknesses")
    page.get_by_label("Causing concern since").fill("03/11/2025")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Alpha Primary School is marked as causing concern").wait_for()
    assert page.get_by_text("School causing concern since 3 November 2025").is_visible()
    assert_accessible(page)
