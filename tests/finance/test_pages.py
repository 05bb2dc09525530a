import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from finance.models import CreditNote, Job, LedgerEntry, Payment
from tests.factories import budget_line

from .conftest import booking_charge

D = Decimal
pytestmark = pytest.mark.django_db


def pdf_text(response):
    return "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )


def test_recording_a_payment_through_the_page(client_for, finance_officer, issue, school_a):
    invoice = issue(school_a)
    client = client_for(finance_officer)
    response = client.post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {
            "amount": "1,000.00",
            "received_on": "2026-09-20",
            "method": "bacs",
            "reference": "BACS 991",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("finance:invoice", args=[invoice.pk])).content.decode()
    assert "£200.00" in page and "Overdue" in page  # due 1 October 2026, £200 still owed
    assert Payment.objects.get().amount == D("1000.00")


def test_a_payment_over_the_balance_is_refused_with_a_message(
    client_for, finance_officer, issue, school_a
):
    invoice = issue(school_a)
    response = client_for(finance_officer).post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {"amount": "1200.01", "received_on": "2026-09-20", "method": "bacs"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "cannot be more than the balance of £1,200.00" in response.content.decode()
    assert Payment.objects.count() == 0


def test_issuing_a_credit_note_through_the_page(client_for, finance_officer, issue, school_a):
    invoice = issue(school_a)
    line = invoice.lines.get()
    response = client_for(finance_officer).post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {
            f"line_{line.pk}": "150",
            "reason": "Fee recalculated",
            "issue_date": "2026-10-01",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.number, note.gross_total) == ("CN-2026-27-00001", D("150.00"))


def test_a_credit_note_beyond_the_line_is_refused(client_for, finance_officer, issue, school_a):
    invoice = issue(school_a)
    line = invoice.lines.get()
    response = client_for(finance_officer).post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {f"line_{line.pk}": "1300", "reason": "Too much", "issue_date": "2026-10-01"},
    )
    assert "you can credit at most £1,200.00" in response.content.decode()
    assert CreditNote.objects.count() == 0


def test_invoice_and_credit_note_pdfs_carry_the_amounts(
    client_for, head_a, finance_officer, issue, school_a
):
    invoice = issue(
        school_a,
        lines=[booking_charge("booking:1", "1.5", "1600", vat_rate=D("20"))],
        purchase_order="PO-1234",
    )
    text = pdf_text(client_for(head_a).get(reverse("finance:invoice_pdf", args=[invoice.pk])))
    assert "INV-2026-27-00001" in text
    assert "PO-1234" in text
    assert "£2,400.00" in text and "£480.00" in text and "£2,880.00" in text
    assert "Internal recharge" in text
    line = invoice.lines.get()
    client_for(finance_officer).post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {
            f"line_{line.pk}": "400",
            "reason": "Shorter review",
            "issue_date": "2026-10-01",
            "confirm": "1",
        },
    )
    note = CreditNote.objects.get()
    text = pdf_text(client_for(head_a).get(reverse("finance:credit_note_pdf", args=[note.pk])))
    assert "CN-2026-27-00001" in text and "£480.00" in text and "Shorter review" in text


def test_a_journal_is_recorded_with_its_reason(client_for, finance_officer):
    line = budget_line(
        code="chair",
        name="Chair",
        kind="core",
        quantity=20,
        unit_cost=600,
        amount=D("12000"),
    )
    client = client_for(finance_officer)
    response = client.post(
        reverse("finance:journal"),
        {
            "side": "expenditure",
            "entry_date": "2026-10-02",
            "amount": "600",
            "budget_line": line.pk,
            "description": "Chair, May",
            "reason": "",
        },
    )
    assert "Enter reason for the journal" in response.content.decode()
    assert LedgerEntry.objects.count() == 0
    client.post(
        reverse("finance:journal"),
        {
            "side": "expenditure",
            "entry_date": "2026-10-02",
            "amount": "600",
            "budget_line": line.pk,
            "description": "Chair, May",
            "reason": "Chair's invoice 55",
        },
    )
    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.budget_line, entry.entered_by) == (
        D("600.00"),
        line,
        finance_officer,
    )


def test_editing_a_budget_line_is_kept_in_its_history(client_for, finance_officer):
    line = budget_line(
        code="chair",
        name="Chair",
        kind="core",
        quantity=20,
        unit_cost=600,
        amount=D("12000"),
    )
    response = client_for(finance_officer).post(
        reverse("finance:budget_line", args=[line.pk]),
        {
            "name": "Independent chair",
            "quantity": "22",
            "unit_cost": "600",
            "forecast_override": "",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.name) == (D("13200.00"), "Independent chair")
    latest = line.history.latest()
    assert (latest.history_user, latest.amount) == (finance_officer, D("13200.00"))


def test_starting_the_annual_run_from_the_page_shows_its_job(
    client_for,
    finance_officer,
    partnership_record,
    join,
    school_a,
    head_a,
    django_capture_on_commit_callbacks,
):
    join(school_a, head_a)
    client = client_for(finance_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("finance:runs"),
            {
                "annual-academic_year": "2026/27",
                "annual-issue_date": "2026-09-01",
                "annual": "1",
                "confirm": "1",
            },
        )
    job = Job.objects.get()
    assert response.url == reverse("finance:job", args=[job.pk])
    status = client.get(reverse("finance:job_status", args=[job.pk])).json()
    assert status == {
        "percent": 100,
        "message": "1 membership invoice issued for 2026/27",
        "finished": True,
        "redirect": reverse("finance:job", args=[job.pk]),
    }
    assert "INV-2026-27-00001" in client.get(response.url).content.decode()


def test_a_bad_academic_year_is_refused_and_queues_nothing(client_for, finance_officer):
    response = client_for(finance_officer).post(
        reverse("finance:runs"), {"annual-academic_year": "2026/28", "annual": "1"}
    )
    assert "Enter an academic year like 2026/27" in response.content.decode()
    assert Job.objects.count() == 0


def test_an_unreachable_broker_fails_the_job_not_the_page(
    client_for, finance_officer, django_capture_on_commit_callbacks
):
    from partnership.celery import app

    def fresh_connections():
        # Celery caches its producer pool; forget it so the next publish uses broker_url.
        # (kombu keeps one pool per broker URL, so the working broker's pool stays open.)
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    fresh_connections()
    try:
        client = client_for(finance_officer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("finance:runs"),
                {"annual-academic_year": "2026/27", "annual": "1", "confirm": "1"},
            )
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
    finally:
        app.conf.broker_url = previous
        fresh_connections()
    assert "The job could not be queued" in page
    assert Job.objects.get().status == "failed"


def test_the_ledger_export_is_a_csv_for_the_council(client_for, finance_officer, issue, school_a):
    issue(school_a, lines=[booking_charge("booking:1", "2", "350", on=datetime.date(2026, 10, 5))])
    response = client_for(finance_officer).get(
        reverse("finance:ledger_export"), {"start": "2026-10-01", "end": "2026-10-31"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "Date,Account code,Cost centre,Description,Amount,Reference",
        "2026-10-05,I1100,SIP01,Peer review,700.00,INV-2026-27-00001",
    ]


def test_the_ledger_export_refuses_a_backwards_range(client_for, finance_officer):
    response = client_for(finance_officer).get(
        reverse("finance:ledger_export"), {"start": "2026-10-31", "end": "2026-10-01"}
    )
    assert "The end date must be on or after the start date" in response.content.decode()


def test_the_invoice_list_query_count_does_not_grow_with_rows(
    client_for, finance_officer, issue, school_a, django_assert_max_num_queries
):
    for n in range(30):
        issue(school_a, lines=[booking_charge(f"booking:{n}", "1", "100")])
    client = client_for(finance_officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("finance:invoices"))
    assert response.content.decode().count("INV-2026-27-000") >= 30


def test_the_invoice_list_exports_csv(client_for, finance_officer, issue, school_a):
    issue(school_a)
    response = client_for(finance_officer).get(reverse("finance:invoices"), {"_export": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "Number,Billed to,Issue date,Due date,Billing,Total,Balance,Status"
    assert (
        lines[1].startswith("INV-2026-27-00001,Alpha Primary School,")
        and ",1200.00,1200.00," in lines[1]
    )


def test_reversing_a_journal_from_the_ledger(client_for, finance_officer):
    from finance.services import record_journal

    entry = record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 5, 2),
        description="Chair, May",
        reason="Chair invoice",
    )
    client = client_for(finance_officer)
    assert "Reverse<span" in client.get(reverse("finance:ledger")).content.decode()
    response = client.post(
        reverse("finance:reverse_entry", args=[entry.pk]),
        {"entry_date": "2026-06-01", "reason": "Posted to the wrong year"},
    )
    assert response.status_code == 302
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert (reversal.amount, reversal.reason) == (D("-600.00"), "Posted to the wrong year")
    page = client.get(reverse("finance:ledger")).content.decode()
    assert "Reversed" in page and "Reverse<span" not in page
    again = client.post(
        reverse("finance:reverse_entry", args=[entry.pk]),
        {"entry_date": "2026-06-01", "reason": "Again"},
    )
    assert "already been reversed" in again.content.decode()
    assert LedgerEntry.objects.count() == 2


def test_the_ledger_list_query_count_does_not_grow_with_rows(
    client_for, finance_officer, django_assert_max_num_queries
):
    from finance.services import record_journal

    for n in range(40):
        record_journal(
            side="expenditure",
            amount=str(n + 1),
            entry_date=datetime.date(2026, 5, 2),
            description=f"Cost {n}",
            reason="Test",
        )
    client = client_for(finance_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("finance:ledger"))
    assert response.content.decode().count("Reverse<span") == 40


def test_rendering_a_runs_pdfs_from_its_job_page(
    client_for, finance_officer, issue, school_a, school_b, django_capture_on_commit_callbacks
):
    from finance.models import StoredPdf
    from finance.services import start_job, update_job

    run = start_job(
        kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27", started_by=finance_officer
    )
    issue(school_a, job=run)
    issue(school_b, lines=[booking_charge("booking:9", "1", "100")], job=run)
    update_job(run.pk, status=Job.Status.FINISHED, message="2 invoices")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(finance_officer).post(
            reverse("finance:job", args=[run.pk]), {"pdfs": "1"}
        )
    follow = Job.objects.exclude(pk=run.pk).get()
    assert response.url == reverse("finance:job", args=[follow.pk])
    assert (follow.status, follow.message) == ("finished", "2 PDFs rendered")
    assert StoredPdf.objects.count() == 2


def test_account_codes_come_from_settings(client_for, finance_officer, settings):
    from finance.services import record_source_entry

    settings.FINANCE_ACCOUNTS = {"deployment_cost": {"account_code": "E7777", "cost_centre": "CC9"}}
    record_source_entry(
        side="expenditure",
        entry_type="deployment_cost",
        source_key="deployment:1",
        entry_date=datetime.date(2026, 10, 2),
        amount=D("500"),
        description="LLE day",
        reference="deployment:1",
    )
    response = client_for(finance_officer).get(
        reverse("finance:ledger_export"), {"start": "2026-10-01", "end": "2026-10-31"}
    )
    assert (
        response.content.decode().splitlines()[1]
        == "2026-10-02,E7777,CC9,LLE day,-500.00,deployment:1"
    )


def test_the_monthly_run_form_refuses_a_bad_month(client_for, finance_officer):
    response = client_for(finance_officer).post(
        reverse("finance:runs"), {"monthly-month": "2026-13", "monthly": "1"}
    )
    assert "Enter a month like 2026-10" in response.content.decode()
    assert Job.objects.count() == 0


def test_the_monthly_run_from_the_page_finishes(
    client_for, finance_officer, partnership_record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(finance_officer).post(
            reverse("finance:runs"),
            {"monthly-month": "2026-10", "monthly-issue_date": "2026-11-01", "monthly": "1"},
        )
    job = Job.objects.get()
    assert response.url == reverse("finance:job", args=[job.pk])
    assert (job.kind, job.parameter, job.status) == ("monthly_bookings_run", "2026-10", "finished")
    assert job.message == "0 invoices issued for bookings delivered in October 2026"


def test_invoice_income_is_credited_not_reversed_but_a_delivered_cost_can_be(
    client_for, finance_officer, issue, school_a
):
    from finance.services import record_source_entry

    issue(school_a, lines=[booking_charge("booking:1", "1", "100")])
    income = LedgerEntry.objects.get(entry_type="invoice_line")
    record_source_entry(
        side="expenditure",
        entry_type="deployment_cost",
        source_key="deployment:1",
        entry_date=datetime.date(2026, 10, 2),
        amount=D("500"),
        description="LLE day",
    )
    cost = LedgerEntry.objects.get(entry_type="deployment_cost")
    client = client_for(finance_officer)
    page = client.get(reverse("finance:reverse_entry", args=[income.pk])).content.decode()
    assert "Income from an invoice is corrected by a credit note" in page
    assert "Reverse entry</button>" not in page
    client.post(
        reverse("finance:reverse_entry", args=[income.pk]),
        {"entry_date": "2026-11-01", "reason": "Try"},
    )
    client.post(
        reverse("finance:reverse_entry", args=[cost.pk]),
        {"entry_date": "2026-11-01", "reason": "Day not delivered"},
    )
    assert list(
        LedgerEntry.objects.filter(entry_type="reversal").values_list("reverses", "amount")
    ) == [(cost.pk, D("-500.00"))]


def test_making_a_report_pdf_is_a_post(client_for, finance_officer):
    assert (
        client_for(finance_officer)
        .get(reverse("finance:report_pdf", args=["break-even"]))
        .status_code
        == 405
    )
