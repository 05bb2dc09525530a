"""Background work for finance: thin tasks that call services and report progress.

Each task is idempotent (a second run creates nothing twice: sources are billed once,
PDFs rendered once, emails sent once), retried with backoff on transient failures of
the database or the network, and writes its progress to its Job row for the page.
"""

import datetime

from celery import shared_task
from django.db import OperationalError

from partnership.words import count_of

from . import services
from .models import Job

TRANSIENT = (OperationalError, ConnectionError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "max_retries": 5,
}


def _run(task, job_id, work):
    """Run work(progress) for a job: running, progress as it goes, then finished or failed.

    The work is one transaction; its progress goes to the cache so the page sees it
    while the transaction is open, and the job row records only the outcome.
    """
    services.update_job(job_id, status=Job.Status.RUNNING, task_id=task.request.id or "")
    counts = {"done": 0, "total": 0}

    def progress(done, total, message):
        counts.update(done=done, total=total)
        services.report_job_progress(job_id, done, total, message)
        task.update_state(state="PROGRESS", meta={"done": done, "total": total, "message": message})

    try:
        created, message = work(progress)
    except TRANSIENT:
        services.update_job(
            job_id, message="Waiting to retry after a connection problem; nothing was kept"
        )
        raise
    except Exception as exc:
        services.update_job(
            job_id,
            status=Job.Status.FAILED,
            message=f"Failed, and nothing was kept: {exc}"[:300],
        )
        raise
    services.update_job(
        job_id,
        status=Job.Status.FINISHED,
        created_count=created,
        message=message[:300],
        **counts,
    )
    return {"job": job_id, "created": created}


def _date(text):
    return datetime.date.fromisoformat(text) if text else datetime.date.today()


@shared_task(bind=True, **RETRY)
def annual_membership_run(self, job_id, academic_year, issue_date=None):
    job = Job.objects.get(pk=job_id)

    def work(progress):
        issued = services.run_annual_membership_invoices(
            academic_year=academic_year,
            issue_date=_date(issue_date),
            job=job,
            issued_by=job.started_by,
            on_progress=progress,
        )
        return (
            len(issued),
            f"{count_of(len(issued), 'membership invoice')} issued for {academic_year}",
        )

    return _run(self, job_id, work)


@shared_task(bind=True, **RETRY)
def monthly_bookings_run(self, job_id, month, issue_date=None):
    job = Job.objects.get(pk=job_id)
    first = datetime.date.fromisoformat(f"{month}-01")

    def work(progress):
        issued = services.run_monthly_bookings(
            month=first,
            issue_date=_date(issue_date),
            job=job,
            issued_by=job.started_by,
            on_progress=progress,
        )
        return (
            len(issued),
            f"{count_of(len(issued), 'invoice')} issued for bookings delivered in {first:%B %Y}",
        )

    return _run(self, job_id, work)


@shared_task(bind=True, **RETRY)
def render_invoice_pdfs(self, job_id, invoice_ids):
    from . import documents

    def work(progress):
        rendered = documents.render_invoice_pdfs(invoice_ids, on_progress=progress)
        return rendered, f"{count_of(rendered, 'PDF')} rendered"

    return _run(self, job_id, work)


@shared_task(bind=True, **RETRY)
def email_invoices(self, job_id, invoice_ids):
    from . import documents

    def work(progress):
        sent = documents.email_invoices(invoice_ids, on_progress=progress)
        return sent, f"{count_of(sent, 'invoice')} emailed to their schools"

    return _run(self, job_id, work)


@shared_task(bind=True, **RETRY)
def render_report_pdf(self, job_id, report, parameter, options=None):
    from . import documents

    def work(progress):
        progress(0, 1, f"Rendering the {report} report")
        documents.report_pdf(job_id, report, parameter, options or {})
        progress(1, 1, "Report ready")
        return 1, "Report ready to download"

    return _run(self, job_id, work)
