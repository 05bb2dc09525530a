"""Finance officer journeys through the audit trail: a journal they record is there under
their name; filters narrow the list; the page works on a phone. Checked with axe."""

import datetime
from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from schools.services import set_causing_concern

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_of_concern(school_a, coordinator):
    HistoricalRecords.context.request = SimpleNamespace(user=coordinator)
    try:
        return set_causing_concern(
            school_a,
            causing_concern=True,
            reason="Ofsted: inadequate",
            since=datetime.date(2026, 9, 1),
        )
    finally:
        del HistoricalRecords.context.request


def test_finance_officer_finds_their_journal_and_a_school_change_in_the_audit_trail(
    page, partnership_record, school_of_concern, coordinator, finance_officer
):
    sign_in(page, finance_officer.email, totp_user=finance_officer)
    page.wait_for_url("**/dashboard/")
    page.goto("/finance/journal/")
    page.get_by_label("Expenditure").check()
    page.get_by_label("Date", exact=True).fill("2026-05-02")
    page.get_by_label("Amount (£)").fill("600")
    page.get_by_label("Description").fill("Chair, May")
    page.get_by_label("Reason for the journal").fill("Chair's invoice 55")
    page.get_by_role("button", name="Record journal").click()
    page.get_by_text("Journal of £600.00 recorded").wait_for()

    page.get_by_role("navigation", name="Finance").get_by_role("link", name="Audit trail").click()
    page.get_by_role("heading", level=1, name="Audit trail").wait_for()
    journal = page.get_by_role("row").filter(has_text="Chair, May").inner_text()
    assert str(finance_officer) in journal
    assert "Manual journal: expenditure £600.00 on 2 May 2026" in journal
    assert_accessible(page)

    page.get_by_label("Record type").select_option(label="School")
    page.get_by_label("Change").select_option(label="Changed")
    page.get_by_role("button", name="Apply filters").click()
    concern = page.get_by_role("row").filter(has_text="Alpha Primary School")
    concern.wait_for()
    assert str(coordinator) in concern.inner_text()
    assert "School causing concern: no → yes" in concern.inner_text()
    assert page.get_by_text("Chair, May").count() == 0
    assert_accessible(page)
    concern.get_by_role("link", name="Alpha Primary School").click()
    page.get_by_role("heading", level=1, name="Alpha Primary School").wait_for()


def test_the_audit_trail_works_on_a_phone(
    phone_page, partnership_record, school_of_concern, finance_officer
):
    sign_in(phone_page, finance_officer.email, totp_user=finance_officer)
    phone_page.wait_for_url("**/dashboard/")
    phone_page.goto("/finance/audit/")
    phone_page.get_by_role("heading", level=1, name="Audit trail").wait_for()
    # On a phone the results come first and the filters are folded under "Filter".
    assert phone_page.get_by_role("link", name="Alpha Primary School").first.is_visible()
    assert not phone_page.get_by_role("button", name="Apply filters").is_visible()
    phone_page.locator("summary", has_text="Filter").click()
    assert phone_page.get_by_role("button", name="Apply filters").is_visible()
    # The table scrolls inside its own region; the page itself is no wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone_page)
