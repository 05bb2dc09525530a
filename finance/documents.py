"""Sending documents: invoice PDFs in batches, invoices by email, report PDFs."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from partnership.permissions import check_role
from partnership.roles import Role
from partnership.words import count_of, financial_year

from . import pdf, reports
from .models import Invoice, InvoiceEmail, Job
from .selectors import trading_account


def render_invoice_pdfs(invoice_ids, on_progress=None) -> int:
    """Render each invoice's PDF once; already rendered ones are left as they are."""
    invoices = Invoice.objects.filter(pk__in=invoice_ids).select_related("school").order_by("pk")
    total = len(invoice_ids)
    for done, invoice in enumerate(invoices, start=1):
        pdf.invoice_pdf(invoice)
        if on_progress:
            on_progress(done, total, f"{done} of {count_of(total, 'PDF')} rendered")
    return total


def school_recipients(school) -> list[str]:
    """Who a school's invoices and credit notes go to: its finance contacts, else its
    headteacher (schools.selectors.invoice_recipients holds the rule)."""
    from schools.selectors import invoice_recipients

    return invoice_recipients(school)


def _email_once(invoice) -> int:
    """Send one invoice with its PDF; 1 if sent now, 0 if already sent or no one to send to.

    An invoice to the LA has no school contacts: finance sends it to the council."""
    if invoice.school is None:
        return 0
    recipients = school_recipients(invoice.school)
    if not recipients or InvoiceEmail.objects.filter(invoice=invoice).exists():
        return 0
    document = pdf.invoice_pdf(invoice)
    message = EmailMessage(
        subject=f"Invoice {invoice.number}",
        body=render_to_string("finance/emails/invoice.txt", {"invoice": invoice}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    with document.file.open("rb") as handle:
        message.attach(f"{invoice.number}.pdf", handle.read(), "application/pdf")
    try:
        with transaction.atomic():
            InvoiceEmail.objects.create(invoice=invoice, sent_to=", ".join(recipients)[:500])
            message.send()
    except IntegrityError:
        return 0  # another run sent it a moment ago
    return 1


def email_invoices(invoice_ids, on_progress=None) -> int:
    """Email each invoice, with its PDF attached, to its school's finance contacts (or its
    headteacher): once only.

    The InvoiceEmail row is written in the same transaction as the send, so an email run
    repeated (or retried) skips invoices already sent. Schools with no contact are skipped.
    """
    invoices = list(
        Invoice.objects.filter(pk__in=invoice_ids).select_related("school").order_by("pk")
    )
    sent = 0
    for done, invoice in enumerate(invoices, start=1):
        sent += _email_once(invoice)
        if on_progress:
            on_progress(done, len(invoices), f"{done} of {len(invoices)} invoices emailed")
    return sent


REPORTS = {
    "trading-account": "Trading account statement",
    "break-even": "Break-even report",
    "scenarios": "Funding scenarios",
}


# Who may read each report, and so its job, its progress and its PDF. The trading account is
# the finance officer's alone; the board's figures (break-even, scenarios) the coordinator's too.
REPORT_READERS = {
    "trading-account": (Role.FINANCE,),
    "break-even": (Role.FINANCE, Role.COORDINATOR),
    "scenarios": (Role.FINANCE, Role.COORDINATOR),
}


def report_readers(report) -> tuple:
    return REPORT_READERS.get(report, (Role.FINANCE,))


def job_report(job) -> str:
    """The report a report job renders ("break-even" of "break-even 2026/27"); "" otherwise."""
    return job.parameter.partition(" ")[0] if job.kind == Job.Kind.REPORT_PDF else ""


def job_readers(job) -> tuple:
    """Invoice runs, PDFs and emails are finance's; a report job is its report's readers'."""
    if job.kind == Job.Kind.REPORT_PDF:
        return report_readers(job_report(job))
    return (Role.FINANCE,)


def may_read_job(user, job) -> bool:
    return check_role(user, job_readers(job))


def report_key(job_id) -> str:
    return f"report:{job_id}"


def report_pdf(job_id, report, parameter, options=None):
    """Render a report to PDF and keep it under the job, for the job page to offer."""
    if report == "trading-account":
        context = {
            "account": trading_account(parameter),
            "title": f"Trading account {financial_year(parameter)}",
        }
        template = "finance/pdf/trading_account.html"
    elif report == "break-even":
        context = {
            "report": reports.break_even_report(parameter),
            "title": f"Break-even {parameter}",
        }
        template = "finance/pdf/break_even.html"
    elif report == "scenarios":
        from .forms import ScenarioForm

        form = ScenarioForm(options)
        if not form.is_valid():
            raise ValueError(f"the scenario's inputs are not valid: {form.errors.as_text()}")
        results, register = reports.scenario_report(form.cleaned_data)
        context = {
            "results": results,
            "register": register,
            "title": f"Funding scenarios {financial_year(parameter)}",
        }
        template = "finance/pdf/scenarios.html"
    else:
        raise ValueError(f"unknown report {report!r}")
    return pdf.stored_pdf(report_key(job_id), lambda: pdf.render_pdf(template, context))
