"""A finance officer exports the ledger entries not yet exported as a batch: the list, the
date, the check page with its count and totals, the batch, its file downloaded again (the
same bytes, named a copy); axe on every page, on a desktop and a phone."""

import datetime

import pytest

from finance.models import ExportBatch
from finance.services import issue_invoice, record_journal
from tests.finance.conftest import booking_charge

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_finance_officer_exports_a_batch_and_downloads_it_again(
    browser, live_server, partnership_record, school_a, finance_officer, width
):
    issue_invoice(
        school=school_a,
        lines=[booking_charge("booking:1", "2", "350", on=datetime.date(2026, 10, 5))],
        issue_date=datetime.date(2026, 10, 5),
    )
    record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 10, 2),
        description="Independent chair, October",
        reason="Chair's invoice",
    )
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": width, "height": 900},
        is_mobile=width < 400,
        has_touch=width < 400,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        sign_in(page, finance_officer.email, totp_user=finance_officer)
        page.goto("/finance/ledger/")
        page.get_by_role("link", name="Export batches for the council's finance system").click()
        page.get_by_role("heading", level=1, name="Export batches").wait_for()
        assert page.get_by_text("No batches exported yet.").is_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Export entries not yet exported").click()
        page.get_by_label("Export the entries not yet exported up to").fill("2026-10-31")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Check the batch before it is exported").wait_for()
        assert page.locator("#batch-count").inner_text() == "2"
        assert page.locator("#batch-debits").inner_text() == "£600.00"
        assert page.locator("#batch-credits").inner_text() == "£700.00"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        assert not ExportBatch.objects.exists()

        page.get_by_role("button", name="Export 2 entries").click()
        page.get_by_role("heading", level=1, name="Export batch 1").wait_for()
        assert page.get_by_text("Batch 1 exported: 2 entries").is_visible()
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the file again for batch 1").click()
        path = download.value.path()
        assert download.value.suggested_filename == "ledger-batch-00001-to-2026-10-31-copy.csv"
        with open(path, "rb") as file:
            assert file.read() == ExportBatch.objects.get().content.encode()

        page.goto("/finance/ledger/batches/new/")
        page.get_by_label("Export the entries not yet exported up to").fill("2026-10-31")
        page.get_by_role("button", name="Continue").click()
        assert page.get_by_text("There is a problem").is_visible()
        assert page.get_by_text(
            "There are no entries up to 31 October 2026 that have not been exported"
        ).first.is_visible()
        assert_accessible(page)

        page.goto("/finance/ledger/batches/")
        assert page.get_by_role("link", name="Download again batch 1").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
    finally:
        context.close()
    assert ExportBatch.objects.count() == 1
