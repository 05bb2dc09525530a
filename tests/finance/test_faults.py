"""Faults in the invoice runs: the database refuses a write part-way through a run, and
Redis is down. (A worker killed mid-run is in test_worker_runs.py.)

The database error is a real one: a trigger makes the database itself refuse the
Nth invoice, as a full disk or a broken constraint would.
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from finance.models import DocumentSequence, Invoice, InvoiceLine, Job, LedgerEntry
from finance.selectors import with_live_progress
from finance.services import report_job_progress, start_job
from tests.conftest import REDIS_DOWN

pytestmark = pytest.mark.django_db
REFUSAL = "could not extend file: No space left on device"


@pytest.fixture
def database_refuses_invoice():
    """database_refuses_invoice(n): from now on the database refuses the invoice numbered n."""
    postgres = connection.vendor == "postgresql"

    def refuse(sequence):
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute(
                    "CREATE FUNCTION refuse_invoice() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.sequence = {int(sequence)} THEN RAISE EXCEPTION '{REFUSAL}'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    "CREATE TRIGGER refuse_invoice BEFORE INSERT ON finance_invoice "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_invoice()"
                )
            else:
                cursor.execute(
                    "CREATE TRIGGER refuse_invoice BEFORE INSERT ON finance_invoice "
                    f"WHEN NEW.sequence = {int(sequence)} "
                    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
                )

    def allow():
        with connection.cursor() as cursor:
            on_table = " ON finance_invoice" if postgres else ""
            cursor.execute(f"DROP TRIGGER refuse_invoice{on_table}")
            if postgres:
                cursor.execute("DROP FUNCTION refuse_invoice()")

    refuse.allow = allow
    return refuse


def start_run(client, form, capture):
    with capture(execute=True):
        response = client.post(reverse("finance:runs"), form)
    assert response.status_code == 302
    return Job.objects.latest("pk"), client.get(response.url).content.decode()


def test_a_database_error_part_way_through_the_annual_run_keeps_nothing(
    client_for,
    finance_officer,
    partnership_record,
    join,
    django_capture_on_commit_callbacks,
    database_refuses_invoice,
):
    from tests.factories import SchoolFactory

    for number in range(5):
        join(SchoolFactory(name=f"School {number}", pupils=100 + number), finance_officer)
    database_refuses_invoice(3)
    client = client_for(finance_officer)
    form = {
        "annual-academic_year": "2026/27",
        "annual-issue_date": "2026-09-01",
        "annual": "1",
        "confirm": "1",
    }

    job, page = start_run(client, form, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Failed, and nothing was kept")
    assert REFUSAL in job.message
    assert "The job did not finish" in page and "nothing was kept" in page
    # The two invoices issued before the refusal went with it, and their numbers too.
    assert Invoice.objects.count() == InvoiceLine.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert not DocumentSequence.objects.filter(last_number__gt=0).exists()

    database_refuses_invoice.allow()
    job, page = start_run(client, form, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FINISHED
    assert list(Invoice.objects.order_by("sequence").values_list("number", flat=True)) == [
        f"INV-2026-27-0000{n}" for n in range(1, 6)
    ]


def test_a_database_error_in_the_monthly_run_takes_back_the_school_invoice_it_issued(
    client_for,
    finance_officer,
    partnership_record,
    deliveries,
    django_capture_on_commit_callbacks,
    database_refuses_invoice,
):
    # The run invoices school A (number 1), then the LA for the support it commissioned (2).
    database_refuses_invoice(2)
    client = client_for(finance_officer)
    form = {"monthly-month": "2026-10", "monthly-issue_date": "2026-11-01", "monthly": "1"}

    job, _ = start_run(client, form, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert Invoice.objects.count() == 0
    assert not LedgerEntry.objects.exists()

    database_refuses_invoice.allow()
    job, _ = start_run(client, form, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FINISHED
    assert [(i.sequence, i.school_id is None) for i in Invoice.objects.order_by("sequence")] == [
        (1, False),
        (2, True),
    ]


# --- Redis down ----------------------------------------------------------------------------


@override_settings(CACHES=REDIS_DOWN)
def test_with_redis_down_a_running_job_still_shows_its_status(client_for, finance_officer):
    job = start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    report_job_progress(job.pk, 5, 10, "5 of 10 memberships done")  # lost, not an error

    client = client_for(finance_officer)
    page = client.get(reverse("finance:job", args=[job.pk]))
    status = client.get(reverse("finance:job_status", args=[job.pk])).json()

    assert page.status_code == 200
    assert "Running" in page.content.decode()
    assert status == {"percent": 0, "message": "Running", "finished": False, "redirect": ""}


@override_settings(CACHES=REDIS_DOWN)
@pytest.mark.parametrize(
    "name", ["finance:trading_account", "finance:invoices", "finance:runs", "dashboard"]
)
def test_with_redis_down_the_pages_still_work(client_for, finance_officer, name):
    assert client_for(finance_officer).get(reverse(name)).status_code == 200


def test_a_running_job_shows_its_progress_from_the_cache(client_for, finance_officer):
    job = start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    report_job_progress(job.pk, 150, 600, "150 of 600 memberships done, 150 invoices issued")

    status = client_for(finance_officer).get(reverse("finance:job_status", args=[job.pk])).json()

    assert status["percent"] == 25
    assert status["message"] == "150 of 600 memberships done, 150 invoices issued"
    assert with_live_progress(Job.objects.get(pk=job.pk)).done == 150


def test_a_queued_job_says_it_is_queued(client_for, finance_officer):
    job = start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    page = client_for(finance_officer).get(reverse("finance:job", args=[job.pk])).content.decode()
    assert "Queued" in page
