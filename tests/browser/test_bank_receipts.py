"""A finance officer uploads the bank's file of receipts, checks the matches, allocates an
unmatched line by hand and confirms: the invoices are paid. On a desktop and on a phone."""

import datetime
from decimal import Decimal

import pytest

from finance.models import BankReceipt, Payment
from finance.services import invoice_balance, issue_invoice
from tests.finance.conftest import booking_charge, membership_charge

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal
BANK_FILE = (
    b"Transaction Date,Transaction Description,Debit Amount,Credit Amount,Balance\n"
    b'03/11/2026,BGC ALPHA PRIMARY INV-2026-27-00001,,"1,200.00",5000.00\n'
    b"04/11/2026,DD PHONE COMPANY,45.10,,4954.90\n"
    b"05/11/2026,FPI BETA PRIMARY SCHOOL,,840.50,5795.40\n"
)


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_finance_officer_records_the_payments_in_a_bank_file(
    browser, live_server, partnership_record, school_a, school_b, finance_officer, width
):
    alpha = issue_invoice(
        school=school_a,
        lines=[membership_charge("membership:a", "1200.00")],
        issue_date=datetime.date(2026, 9, 1),
    )
    beta = issue_invoice(
        school=school_b,
        lines=[booking_charge("booking:b", "1", "840.50", vat_rate=D("0"))],
        issue_date=datetime.date(2026, 10, 1),
    )
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
        sign_in(page, finance_officer.email, totp_user=finance_officer)
        page.goto("/finance/invoices/")
        page.get_by_role("link", name="Payments from the bank").click()
        page.get_by_role("heading", level=1, name="Payments from the bank").wait_for()
        assert_accessible(page)
        page.get_by_label("Bank file of receipts (CSV)").set_input_files(
            {"name": "november.csv", "mimeType": "text/csv", "buffer": BANK_FILE}
        )
        page.get_by_role("button", name="Upload and check").click()

        page.get_by_role("heading", level=1, name="Check the payments from november.csv").wait_for()
        assert page.locator('[data-count="matched"]').inner_text() == "1 (£1,200.00)"
        assert page.locator('[data-count="unmatched"]').inner_text() == "1"
        assert page.locator('[data-count="ignored"]').inner_text() == "1"
        assert page.get_by_label("Record line 2, £1,200.00 to INV-2026-27-00001").is_checked()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        page.get_by_label("Invoice for line 4, £840.50").fill(beta.number)
        page.get_by_role("button", name="Record the payments").click()

        page.get_by_text("2 payments recorded, totalling £2,040.50").wait_for()
        assert page.locator('[data-count="recorded"]').inner_text() == "2 (£2,040.50)"
        assert page.get_by_text("Nothing in this file is left to record").is_visible()
        assert_accessible(page)
        page.get_by_role("link", name="INV-2026-27-00001").first.click()
        page.get_by_role("heading", level=1, name="Invoice INV-2026-27-00001").wait_for()
        assert page.get_by_text("Paid", exact=True).first.is_visible()
    finally:
        context.close()
    assert invoice_balance(alpha) == D("0.00") and invoice_balance(beta) == D("0.00")
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [D("840.50"), D("1200.00")]
    assert BankReceipt.objects.count() == 2
