import datetime
from decimal import Decimal

import pytest

from finance.models import Invoice, Job, LedgerEntry
from finance.services import run_annual_membership_invoices, start_job
from finance.tasks import annual_membership_run

D = Decimal
pytestmark = pytest.mark.django_db


def test_the_annual_run_invoices_each_active_membership_once(
    partnership_record, join, school_a, school_b, head_a, head_b
):
    join(school_a, head_a, purchase_order="PO-A1")
    join(school_b, head_b)
    first = run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 1)
    )
    second = run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 2)
    )
    assert second == []
    invoices = {i.school.name: i for i in first}
    alpha, beta = invoices["Alpha Primary School"], invoices["Beta Primary School"]
    assert (alpha.number, alpha.gross_total, alpha.purchase_order) == (
        "INV-2026-27-00001",
        D("840.00"),
        "PO-A1",
    )
    assert (beta.number, beta.gross_total) == ("INV-2026-27-00002", D("420.00"))
    assert alpha.lines.get().source.startswith("membership:")
    assert Invoice.objects.count() == 2


def test_a_mid_year_joiner_is_invoiced_its_pro_rata_fee_earned_from_joining(
    partnership_record, join, school_a, head_a
):
    membership = join(school_a, head_a, on=datetime.date(2027, 1, 12))
    assert membership.fee_amount == D("560.00")  # 840 × 8/12
    [invoice] = run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2027, 1, 20)
    )
    entries = LedgerEntry.objects.filter(invoice_line__invoice=invoice)
    assert [e.entry_date for e in entries][:2] == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 2, 1),
    ]
    assert sum(e.amount for e in entries if e.financial_year == "2026-27") == D("210.00")
    assert sum(e.amount for e in entries if e.financial_year == "2027-28") == D("350.00")


def test_the_run_task_reports_progress_on_its_job(
    partnership_record, join, school_a, school_b, head_a, head_b, finance_officer
):
    join(school_a, head_a)
    join(school_b, head_b)
    job = start_job(
        kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27", started_by=finance_officer
    )
    annual_membership_run.delay(job.pk, "2026/27", "2026-09-01")
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.created_count, job.percent) == (
        "finished",
        2,
        2,
        2,
        100,
    )
    assert job.message == "2 membership invoices issued for 2026/27"
    assert set(job.invoices.values_list("issued_by", flat=True)) == {finance_officer.pk}
