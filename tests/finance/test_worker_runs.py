"""The annual run through a real Celery worker on Redis: run twice, or killed part-way and
restarted, and every membership is invoiced exactly once."""

import signal
import time

import pytest
from django.core.cache import caches

from finance.models import Invoice, Job, LedgerEntry, job_progress_key
from finance.services import start_job
from finance.tasks import annual_membership_run
from tests.conftest import TEST_VISIBILITY_TIMEOUT, requires_redis
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.celery_worker, requires_redis, pytest.mark.django_db(transaction=True)]


def test_the_annual_run_twice_through_the_worker_invoices_each_membership_once(
    celery_worker_process,
    partnership_record,
    join,
    school_a,
    school_b,
    head_a,
    head_b,
    finance_officer,
):
    join(school_a, head_a)
    join(school_b, head_b)
    first = start_job(
        kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27", started_by=finance_officer
    )
    result = annual_membership_run.delay(first.pk, "2026/27", "2026-09-01").get(timeout=60)
    assert result == {"job": first.pk, "created": 2}
    second = start_job(
        kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27", started_by=finance_officer
    )
    result = annual_membership_run.delay(second.pk, "2026/27", "2026-09-02").get(timeout=60)
    assert result == {"job": second.pk, "created": 0}
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "INV-2026-27-00001",
        "INV-2026-27-00002",
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.done, first.total) == ("finished", 2, 2)
    assert (second.status, second.created_count, second.message) == (
        "finished",
        0,
        "0 membership invoices issued for 2026/27",
    )


def test_a_worker_killed_mid_run_then_restarted_leaves_no_duplicate_or_missing_invoice(
    start_celery_worker, partnership_record, join, finance_officer
):
    schools = 300
    memberships = [
        join(SchoolFactory(name=f"School {n}", pupils=100 + n), finance_officer)
        for n in range(schools)
    ]
    first_worker = start_celery_worker()
    job = start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    result = annual_membership_run.delay(job.pk, "2026/27", "2026-09-01")

    # Kill the worker (SIGKILL: no clean shutdown) once the run is well under way.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        progress = caches["progress"].get(job_progress_key(job.pk))
        if progress and progress["done"] >= 30:
            break
        time.sleep(0.01)
    else:
        pytest.fail("the run did not get under way within 60 s")
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait(timeout=10)
    at_kill = caches["progress"].get(job_progress_key(job.pk))
    assert at_kill["done"] < schools, "the run finished before the worker was killed"

    # The killed run kept nothing: no invoice, no ledger entry, no number used.
    assert Invoice.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING

    # The unacknowledged task goes to the next worker once its visibility timeout passes.
    time.sleep(TEST_VISIBILITY_TIMEOUT + 1)
    second_worker = start_celery_worker(wait_for_ping=False)  # busy with the run at once
    assert result.get(timeout=180) == {"job": job.pk, "created": schools}
    assert second_worker.poll() is None  # it ran the task and is still up

    billed = Invoice.objects.values_list("lines__source", flat=True)
    assert sorted(billed) == sorted(f"membership:{m.pk}" for m in memberships)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, schools + 1))
    job.refresh_from_db()
    assert (job.status, job.created_count, job.done) == ("finished", schools, schools)
