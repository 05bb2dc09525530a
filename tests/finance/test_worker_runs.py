"""The annual run through a real Celery worker on Redis: twice, and nothing is invoiced twice."""

import pytest

from finance.models import Invoice, Job
from finance.services import start_job
from finance.tasks import annual_membership_run
from tests.conftest import requires_redis

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
