"""Finance officer journeys: the annual invoice run with its progress bar, then an invoice
paid in part and credited; every finance page checked with axe."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from finance.models import CreditNote, Invoice, Payment
from partnership.partnership_file import load_text
from tests.conftest import requires_redis

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COSTING = Path(__file__).parent.parent / "finance" / "files" / "hillingdon-costing.yaml"


@pytest.fixture
def members(partnership_record, school_a, school_b, head_a, head_b, coordinator):
    from membership.models import Membership
    from membership.services import load_fee_scheme, load_membership_year, load_tier, sign_agreement

    year, _ = load_membership_year(academic_year="2026/27", census_date=datetime.date(2026, 1, 15))
    tier, _ = load_tier(code="core", name="Core membership")
    load_fee_scheme(tier=tier, year=year, kind="per_pupil", rate=Decimal("2.00"))
    for school, head in ((school_a, head_a), (school_b, head_b)):
        membership = sign_agreement(
            school=school, year=year, tier=tier, by=head, on=datetime.date(2026, 7, 1)
        )
        membership.status = Membership.Status.ACTIVE  # see tests/finance/conftest.py `join`
        membership.save()


@pytest.mark.celery_worker
@requires_redis
def test_finance_officer_runs_the_annual_invoices_and_watches_them_finish(
    celery_worker_process, page, members, finance_officer
):
    sign_in(page, finance_officer.email, totp_user=finance_officer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Finance").click()
    page.get_by_role("navigation", name="Finance").get_by_role("link", name="Invoices").click()
    page.locator("#main-content").get_by_role("link", name="Invoice runs").click()
    page.get_by_label("Academic year to invoice").fill("2026/27")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#run-count").inner_text() == "2"
    assert_accessible(page)
    page.get_by_role("button", name="Issue 2 invoices").click()
    page.get_by_role("heading", name="Finished").wait_for(timeout=30_000)
    assert page.get_by_text("2 membership invoices issued for 2026/27").is_visible()
    assert Invoice.objects.count() == 2
    page.get_by_role("link", name="INV-2026-27-00001").click()
    page.get_by_role("heading", level=1, name="Invoice INV-2026-27-00001").wait_for()


def test_finance_officer_records_a_payment_and_issues_a_credit_note(page, members, finance_officer):
    from finance.services import run_annual_membership_invoices

    load_text(COSTING.read_text())
    run_annual_membership_invoices(academic_year="2026/27", issue_date=datetime.date(2026, 9, 1))
    sign_in(page, finance_officer.email, totp_user=finance_officer)
    page.get_by_role("heading", name="Trading position 2026/27").wait_for()
    assert_accessible(page)  # the dashboard with its overdue invoices
    # The Finance section opens on the trading account.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Finance").click()
    page.get_by_role("heading", level=1, name="Trading account").wait_for()
    assert_accessible(page)

    page.get_by_role("navigation", name="Finance").get_by_role("link", name="Invoices").click()
    assert_accessible(page)
    page.get_by_role("link", name="INV-2026-27-00001").click()
    assert page.get_by_text("Alpha Primary School").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a payment").click()
    page.get_by_label("Amount received (£)").fill("900")
    page.get_by_role("button", name="Record payment").click()
    assert page.get_by_text("There is a problem").is_visible()  # more than the £840.00 balance
    page.get_by_label("Amount received (£)").fill("500")
    page.get_by_label("Date received").fill("2026-09-20")
    page.get_by_label("How it was paid").select_option("bacs")
    page.get_by_role("button", name="Record payment").click()
    page.get_by_text("Payment of £500.00 recorded").wait_for()

    page.get_by_role("link", name="Issue a credit note").click()
    page.get_by_label("Reason for the credit note").fill("Pupil numbers corrected")
    page.get_by_label("Line 1:", exact=False).fill("40")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#credit-total").inner_text() == "£40.00"
    assert_accessible(page)
    page.get_by_role("button", name="Issue the credit note").click()
    page.get_by_text("Credit note CN-2026-27-00001 issued for £40.00").wait_for()
    assert page.get_by_text("£300.00").first.is_visible()  # 840 − 500 − 40
    assert Payment.objects.get().amount == Decimal("500.00")
    assert CreditNote.objects.get().gross_total == Decimal("40.00")

    page.get_by_role("navigation", name="Finance").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Break-even").click()
    page.get_by_role("heading", level=1, name="Break-even").wait_for()
    assert page.get_by_text("£50,000.00").first.is_visible()
    assert_accessible(page)


def test_a_headteacher_reads_their_invoices_on_a_phone(phone_page, members, head_a):
    from finance.services import run_annual_membership_invoices

    run_annual_membership_invoices(academic_year="2026/27", issue_date=datetime.date(2026, 9, 1))
    sign_in(phone_page, head_a.email)
    phone_page.get_by_role("link", name="INV-2026-27-00001").first.click()
    phone_page.get_by_role("heading", level=1, name="Invoice INV-2026-27-00001").wait_for()
    assert phone_page.get_by_role("link", name="Download PDF").is_visible()
    assert not phone_page.get_by_role("link", name="Record a payment").count()
    assert_accessible(phone_page)
    phone_page.goto("/finance/invoices/")
    assert phone_page.get_by_text("INV-2026-27-00002").count() == 0  # Beta's invoice
    assert_accessible(phone_page)
