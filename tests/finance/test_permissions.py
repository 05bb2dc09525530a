"""Who may use each finance URL: anonymous -> sign in, wrong role -> 403, another school -> 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import Job
from finance.services import issue_credit_note, start_job
from tests.factories import budget_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(issue, school_a, finance_officer):
    invoice = issue(school_a)
    note = issue_credit_note(
        invoice=invoice,
        amounts={invoice.lines.get().pk: Decimal("100")},
        reason="Correction",
        issue_date=datetime.date(2026, 9, 5),
    )
    line = budget_line(
        code="chair",
        name="Chair",
        kind="core",
        quantity=20,
        unit_cost=600,
        amount=Decimal("12000"),
    )
    job = start_job(
        kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27", started_by=finance_officer
    )
    return {"invoice": invoice.pk, "note": note.pk, "line": line.pk, "job": job.pk}


FINANCE_ONLY = [
    ("finance:trading_account", None),
    ("finance:budget_line", "line"),
    ("finance:journal", None),
    ("finance:ledger_export", None),
    ("finance:record_payment", "invoice"),
    ("finance:issue_credit_note", "invoice"),
    ("finance:runs", None),
]
REPORTS = [
    ("finance:reports", None),
    ("finance:break_even", None),
    ("finance:scenarios", None),
    ("finance:costing", None),
]
SCHOOL_SCOPED = [
    ("finance:invoices", None),
    ("finance:invoice", "invoice"),
    ("finance:invoice_pdf", "invoice"),
    ("finance:credit_note_pdf", "note"),
]


def url(records, name, arg):
    return reverse(name, args=[records[arg]] if arg else [])


@pytest.mark.parametrize(
    "name, arg",
    FINANCE_ONLY
    + REPORTS
    + SCHOOL_SCOPED
    + [("finance:job", "job"), ("finance:job_status", "job")],
)
def test_anonymous_people_are_sent_to_sign_in(client_for, records, name, arg):
    response = client_for(None).get(url(records, name, arg))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name, arg", FINANCE_ONLY + REPORTS + SCHOOL_SCOPED)
@pytest.mark.parametrize("who", ["board_member", "practitioner_user"])
def test_other_roles_are_refused(client_for, request, records, name, arg, who):
    assert client_for(request.getfixturevalue(who)).get(url(records, name, arg)).status_code == 403


@pytest.mark.parametrize(
    "name, arg", FINANCE_ONLY + [("finance:job", "job"), ("finance:job_status", "job")]
)
def test_headteachers_cannot_use_finance_pages(client_for, head_a, records, name, arg):
    assert client_for(head_a).get(url(records, name, arg)).status_code in (403, 404)


@pytest.mark.parametrize("name, arg", FINANCE_ONLY[:1] + FINANCE_ONLY[2:])
def test_coordinators_cannot_use_the_trading_account(client_for, coordinator, records, name, arg):
    assert client_for(coordinator).get(url(records, name, arg)).status_code == 403


@pytest.mark.parametrize("name, arg", [n for n in SCHOOL_SCOPED if n[1]])
def test_a_headteacher_cannot_see_another_schools_invoice(client_for, head_b, records, name, arg):
    assert client_for(head_b).get(url(records, name, arg)).status_code == 404


def test_a_headteacher_lists_only_their_own_schools_invoices(
    client_for, head_a, head_b, records, issue, school_b
):
    issue(school_b, lines=None)
    page = client_for(head_b).get(reverse("finance:invoices")).content.decode()
    assert "INV-2026-27-00002" in page
    assert "INV-2026-27-00001" not in page
    assert "CN-2026-27-00001" not in page


@pytest.mark.parametrize("name, arg", [n for n in SCHOOL_SCOPED])
def test_the_schools_headteacher_sees_its_invoice_and_pdfs(client_for, head_a, records, name, arg):
    assert client_for(head_a).get(url(records, name, arg)).status_code == 200


@pytest.mark.parametrize(
    "name, arg",
    FINANCE_ONLY
    + REPORTS
    + SCHOOL_SCOPED
    + [("finance:job", "job"), ("finance:job_status", "job")],
)
def test_finance_officers_use_every_page(client_for, finance_officer, records, name, arg):
    assert client_for(finance_officer).get(url(records, name, arg)).status_code == 200


@pytest.mark.parametrize(
    "name", ["finance:reports", "finance:break_even", "finance:scenarios", "finance:costing"]
)
def test_coordinators_read_the_reports(client_for, coordinator, records, name):
    assert client_for(coordinator).get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("board_member", 403),
        ("head_a", 403),
        ("coordinator", 403),
        ("finance_officer", 200),
    ],
)
def test_only_finance_officers_see_and_reverse_the_ledger(
    client_for, request, records, who, status
):
    from finance.services import record_journal

    user = request.getfixturevalue(who) if who else None
    entry = record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 5, 2),
        description="Chair, May",
        reason="Chair invoice",
    )
    client = client_for(user)
    assert client.get(reverse("finance:ledger")).status_code == status
    assert client.get(reverse("finance:reverse_entry", args=[entry.pk])).status_code == status


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("board_member", 403), ("head_a", 403), ("practitioner_user", 403)]
)
def test_report_pdfs_are_for_finance_and_coordinators_only(
    client_for, request, records, who, status
):
    from finance.documents import report_key
    from finance.models import StoredPdf

    job = start_job(kind=Job.Kind.REPORT_PDF, parameter="break-even 2026/27")
    StoredPdf.objects.create(key=report_key(job.pk), file="finance/pdf/x.pdf")
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(reverse("finance:report_download", args=[job.pk])).status_code == status
    response = client.post(
        reverse("finance:report_pdf", args=["break-even"]), {"parameter": "2026/27"}
    )
    assert response.status_code == status
    assert Job.objects.count() == 2  # nothing was started


def test_a_coordinator_sees_report_jobs_but_not_invoice_runs(client_for, coordinator, records):
    report = start_job(kind=Job.Kind.REPORT_PDF, parameter="break-even 2026/27")
    client = client_for(coordinator)
    assert client.get(reverse("finance:job", args=[report.pk])).status_code == 200
    assert client.get(reverse("finance:job", args=[records["job"]])).status_code == 404
    assert client.get(reverse("finance:job_status", args=[records["job"]])).status_code == 404


def _finished_report(parameter):
    from django.core.files.base import ContentFile

    from finance.documents import report_key
    from finance.models import StoredPdf

    job = start_job(kind=Job.Kind.REPORT_PDF, parameter=parameter)
    StoredPdf(key=report_key(job.pk)).file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=True)
    return job


@pytest.mark.parametrize("name", ["finance:job", "finance:job_status", "finance:report_download"])
def test_a_coordinator_cannot_fetch_the_finance_only_trading_account(
    client_for, coordinator, finance_officer, name
):
    job = _finished_report("trading-account 2026-27")
    assert client_for(coordinator).get(reverse(name, args=[job.pk])).status_code == 404
    assert client_for(finance_officer).get(reverse(name, args=[job.pk])).status_code == 200


def test_a_coordinator_cannot_start_the_trading_account_pdf(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("finance:report_pdf", args=["trading-account"]), {"parameter": "2026-27"}
    )
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_a_coordinator_downloads_a_break_even_pdf(client_for, coordinator):
    job = _finished_report("break-even 2026/27")
    response = client_for(coordinator).get(reverse("finance:report_download", args=[job.pk]))
    assert response.status_code == 200
