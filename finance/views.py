"""Finance pages. Thin: forms in, services and selectors out; every view names its roles."""

import csv
import datetime

from django.contrib import messages
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django_tables2 import RequestConfig

from partnership import exports, words
from partnership.calendars import AcademicYear, FinancialYear
from partnership.exports import SafeTableExport as TableExport
from partnership.money import csv_money
from partnership.permissions import role_required
from partnership.roles import Role
from partnership.words import count_of

from . import documents, pdf, plans, reports, selectors, services, tasks
from .charts import break_even_chart, break_even_points, scenario_chart, trading_charts
from .filters import HomeSchoolPaymentFilter, InvoiceFilter, LedgerFilter
from .forms import (
    AnnualRunForm,
    BreakEvenForm,
    BudgetLineForm,
    CreditNoteForm,
    JournalForm,
    LedgerExportForm,
    MonthlyRunForm,
    PaymentForm,
    ReversalForm,
    ScenarioForm,
)
from .history import invoice_history
from .models import BudgetLine, Job, LedgerEntry, StoredPdf
from .tables import (
    CreditNoteTable,
    HomeSchoolPaymentTable,
    InvoiceTable,
    JobTable,
    LedgerTable,
)

FINANCE = (Role.FINANCE,)
REPORT_READERS = (Role.FINANCE, Role.COORDINATOR)
INVOICE_READERS = (Role.FINANCE, Role.HEADTEACHER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(*parts) -> str:
    """A download's name, its words and year joined by hyphens: "break-even-2026-27". (A "/"
    in an academic year made a browser save "break-even 2026/27" as "27.pdf".)"""
    return "-".join(str(part).replace("/", "-").replace(" ", "-") for part in parts if part)


def year_of_filter(data) -> str:
    """The financial year a list is filtered to ("2026-27"), or "all-years"."""
    try:
        return str(FinancialYear.parse_typed(data.get("financial_year") or ""))
    except ValueError:
        return "all-years"


def dataset_response(dataset, filename, fmt):
    dataset = exports.safe_dataset(dataset)
    if fmt == "xlsx":
        response = HttpResponse(exports.xlsx_bytes(dataset), content_type=XLSX)
        filename += ".xlsx"
    else:
        response = HttpResponse(
            dataset.export("csv", lineterminator="\n"), content_type="text/csv; charset=utf-8"
        )
        filename += ".csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(stored: StoredPdf, filename):
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def queue(job, task, *args):
    """Queue the task once the job row is committed.

    A broker that is down fails the job (the page says so), never the request.
    """

    def send():
        try:
            task.delay(job.pk, *args)
        except Exception:  # the broker (Redis) is unreachable, or an eager run failed
            job.refresh_from_db()
            if job.status != Job.Status.FAILED:
                services.update_job(
                    job.pk,
                    status=Job.Status.FAILED,
                    message=(
                        "The job could not be queued: the task queue is not reachable. "
                        "Try again later."
                    ),
                )

    transaction.on_commit(send)


# --- Trading account -----------------------------------------------------------------------


def _year_from(request):
    year = request.GET.get("year") or selectors.default_financial_year()
    try:
        return str(FinancialYear.parse_typed(year))
    except ValueError as exc:
        raise Http404("Not a financial year") from exc


@role_required(*FINANCE)
def trading_account(request):
    year = _year_from(request)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        view = request.GET.get("view")
        if view == "months":
            return dataset_response(
                reports.trading_account_by_month_dataset(year),
                f"trading-account-{year}-by-month",
                fmt,
            )
        return dataset_response(
            reports.trading_account_dataset(year), f"trading-account-{year}", fmt
        )
    account = selectors.trading_account(year)
    months = [
        {
            "month": row["month"],
            "income": row["actual_income"],
            "costs": row["actual_expenditure"],
            "budget_income": row["budget_income"],
            "budget_costs": row["budget_expenditure"],
            "forecast_income": row["forecast_income"],
            "forecast_costs": row["forecast_expenditure"],
        }
        for row in account.by_month()
    ]
    years = sorted(set(selectors.budget_years()) | {year}, reverse=True)
    return render(
        request,
        "finance/trading_account.html",
        {
            "account": account,
            "year": year,
            "years": years,
            "months": months,
            "charts": trading_charts(months, current=account.today.replace(day=1)),
            "reconciliation": selectors.reconciliation(),
        },
    )


@role_required(*FINANCE)
def budget_line_edit(request, pk):
    line = get_object_or_404(BudgetLine, pk=pk)
    initial = {
        "name": line.name,
        "quantity": line.quantity,
        "unit_cost": line.unit_cost,
        "amount": line.amount,
        "forecast_override": line.forecast_override,
    }
    form = BudgetLineForm(request.POST or None, line=line, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_budget_line(line=line, changed_by=request.user, **form.cleaned_data)
        messages.success(request, f"{line.name} updated")
        year = FinancialYear.containing(line.starts_on)
        return redirect(f"{reverse('finance:trading_account')}?year={year}")
    history = line.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request, "finance/budget_line_form.html", {"form": form, "line": line, "history": history}
    )


@role_required(*FINANCE)
def journal(request):
    form = JournalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.record_journal(entered_by=request.user, **form.cleaned_data)
        except services.FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Journal of £{entry.amount:,.2f} recorded")
            year = words.financial_year(entry.financial_year)
            return redirect(f"{reverse('finance:ledger')}?financial_year={year}")
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": "Record a journal",
            "button": "Record journal",
            "intro": (
                "Journals are never edited: to correct one, enter a reversing journal "
                "with its reason."
            ),
        },
    )


@role_required(*FINANCE)
def ledger(request):
    entries = LedgerFilter(request.GET, queryset=selectors.ledger_entries())
    table = LedgerTable(entries.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export = request.GET.get("_export")
    if TableExport.is_valid_format(export):
        name = file_name("ledger", year_of_filter(request.GET))
        return TableExport(export, table).response(f"{name}.{export}")
    return render(
        request,
        "finance/ledger.html",
        {"filter": entries, "table": table, "export_formats": ["csv", "xlsx"]},
    )


@role_required(Role.FINANCE, Role.COORDINATOR)
def home_school_payments(request):
    """What the monthly runs paid practitioners' home schools: finance and the coordinator."""
    payments = HomeSchoolPaymentFilter(request.GET, queryset=selectors.home_school_payments())
    table = HomeSchoolPaymentTable(payments.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export = request.GET.get("_export")
    if TableExport.is_valid_format(export):
        name = file_name("home-school-payments", year_of_filter(request.GET))
        return TableExport(export, table).response(f"{name}.{export}")
    return render(
        request,
        "finance/home_school_payments.html",
        {
            "filter": payments,
            "table": table,
            "export_formats": ["csv", "xlsx"],
            "total": selectors.home_school_payments_total(payments.qs),
            "count": payments.qs.count(),
        },
    )


@role_required(*FINANCE)
def reverse_entry(request, pk):
    entry = get_object_or_404(LedgerEntry, pk=pk)
    problem = services.reversal_problem(entry)
    form = (
        None
        if problem
        else ReversalForm(request.POST or None, initial={"entry_date": datetime.date.today()})
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.reverse_entry(entry=entry, entered_by=request.user, **form.cleaned_data)
        except services.FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Entry reversed: {entry.description}")
            return redirect("finance:ledger")
    summary = f"{entry.description}: £{entry.amount:,.2f} on {entry.entry_date:%d/%m/%Y}."
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": "Reverse a ledger entry",
            "button": "Reverse entry",
            "intro": (
                f"{summary} {problem}."
                if problem
                else f"{summary} A reversing entry of the opposite amount is added; "
                "the entry itself stays."
            ),
            "breadcrumbs": [("Ledger", reverse("finance:ledger")), ("Reverse", None)],
        },
    )


@role_required(*FINANCE)
def ledger_export(request):
    form = LedgerExportForm(request.GET or None)
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ledger-{start}-to-{end}.csv"'
        writer = csv.writer(response, lineterminator="\n")
        writer.writerow(
            ["Date", "Account code", "Cost centre", "Description", "Amount", "Reference"]
        )
        for row in selectors.ledger_export_rows(start, end):
            writer.writerow(
                exports.safe_row(
                    [
                        row["date"].isoformat(),
                        row["account_code"],
                        row["cost_centre"],
                        row["description"],
                        csv_money(row["amount"]),
                        row["reference"],
                    ]
                )
            )
        return response
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": "Export the ledger",
            "button": "Download CSV",
            "method": "get",
            "intro": "A CSV of the entries dated between two days: date, account code, cost "
            "centre, description, amount (income positive, expenditure negative) and reference. "
            "It marks nothing as exported: to send entries to the council's finance system, "
            "export a batch from the ledger's export batches.",
        },
    )


# --- Invoices ------------------------------------------------------------------------------


def _invoice_for(request, pk):
    """The invoice if this person may see it (finance: any; headteacher: own school's)."""
    return get_object_or_404(selectors.invoices_for(request.user), pk=pk)


# A school's invoices, credit notes and payments: no browser history, shared computer or
# proxy keeps a copy of the pages or PDFs.
kept_by_nobody = cache_control(private=True, no_store=True)


@kept_by_nobody
@role_required(*INVOICE_READERS)
def invoice_list(request):
    invoices = selectors.invoices_for(request.user)
    invoice_filter = InvoiceFilter(request.GET, queryset=invoices)
    table = InvoiceTable(invoice_filter.qs, for_school=request.user.role == Role.HEADTEACHER)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    export = request.GET.get("_export")
    if TableExport.is_valid_format(export):
        name = file_name("invoices", year_of_filter(request.GET))
        return TableExport(export, table, exclude_columns=()).response(f"{name}.{export}")
    credit_table = CreditNoteTable(selectors.credit_notes_for(request.user), prefix="cn-")
    RequestConfig(request, paginate={"per_page": 25}).configure(credit_table)
    return render(
        request,
        "finance/invoice_list.html",
        {
            "filter": invoice_filter,
            "table": table,
            "export_formats": ["csv", "xlsx"],
            "credit_table": credit_table,
        },
    )


@kept_by_nobody
@role_required(*INVOICE_READERS)
def invoice_detail(request, pk):
    invoice = _invoice_for(request, pk)
    is_finance = request.user.role == Role.FINANCE
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": selectors.invoice_lines_with_credit(invoice),
            "credit_notes": invoice.credit_notes.all(),
            "payments": invoice.payments.all(),
            "is_finance": is_finance,
            # A school pays an external invoice; a recharge is taken from its budget.
            "nothing_to_pay": not is_finance and invoice.is_internal_recharge,
            # Who issued, credited and took payment is for finance, not for the school.
            "history": invoice_history(invoice) if is_finance else [],
            "breadcrumbs": [("Invoices", reverse("finance:invoices")), (invoice.number, None)],
        },
    )


@kept_by_nobody
@role_required(*INVOICE_READERS)
def invoice_pdf(request, pk):
    invoice = _invoice_for(request, pk)
    return pdf_response(pdf.invoice_pdf(invoice), f"{invoice.number}.pdf")


@kept_by_nobody
@role_required(*INVOICE_READERS)
def credit_note_pdf(request, pk):
    note = get_object_or_404(selectors.credit_notes_for(request.user), pk=pk)
    return pdf_response(pdf.credit_note_pdf(note), f"{note.number}.pdf")


@kept_by_nobody
@role_required(*FINANCE)
def record_payment(request, pk):
    invoice = _invoice_for(request, pk)
    form = PaymentForm(request.POST or None, initial={"received_on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.record_payment(
                invoice=invoice, recorded_by=request.user, **form.cleaned_data
            )
        except services.FinanceError as exc:
            form.add_error("amount", str(exc))
        else:
            messages.success(
                request, f"Payment of £{payment.amount:,.2f} recorded against {invoice.number}"
            )
            return redirect("finance:invoice", pk=invoice.pk)
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": f"Record a payment against {invoice.number}",
            "button": "Record payment",
            "intro": f"Balance due: £{invoice.balance:,.2f}",
            "breadcrumbs": [
                ("Invoices", reverse("finance:invoices")),
                (invoice.number, reverse("finance:invoice", args=[invoice.pk])),
                ("Payment", None),
            ],
        },
    )


@kept_by_nobody
@role_required(*FINANCE)
def issue_credit_note(request, pk):
    invoice = _invoice_for(request, pk)
    lines = selectors.invoice_lines_with_credit(invoice)
    form = CreditNoteForm(
        request.POST or None, lines=lines, initial={"issue_date": datetime.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if "confirm" not in request.POST or "change" in request.POST:
                # Check first: what will be credited, and the totals, before anything is issued.
                figures = services.credit_note_figures(
                    invoice=invoice,
                    amounts=form.amounts(),
                    issue_date=form.cleaned_data["issue_date"],
                )
                if "change" not in request.POST:
                    return render(
                        request,
                        "finance/credit_note_check.html",
                        {"invoice": invoice, "form": form, "figures": figures},
                    )
            else:
                note = services.issue_credit_note(
                    invoice=invoice,
                    amounts=form.amounts(),
                    reason=form.cleaned_data["reason"],
                    issue_date=form.cleaned_data["issue_date"],
                    issued_by=request.user,
                )
                messages.success(
                    request, f"Credit note {note.number} issued for £{note.gross_total:,.2f}"
                )
                return redirect("finance:invoice", pk=invoice.pk)
        except services.FinanceError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": f"Issue a credit note against {invoice.number}",
            "button": "Continue",
            "intro": (
                "Enter the net amount to credit on each line; VAT is credited at the line's rate."
            ),
            "breadcrumbs": [
                ("Invoices", reverse("finance:invoices")),
                (invoice.number, reverse("finance:invoice", args=[invoice.pk])),
                ("Credit note", None),
            ],
        },
    )


# --- Runs and jobs -------------------------------------------------------------------------


@role_required(*FINANCE)
def runs(request):
    annual = AnnualRunForm(
        prefix="annual",
        initial={"academic_year": str(AcademicYear.containing(datetime.date.today()))},
    )
    monthly = MonthlyRunForm(prefix="monthly")
    if request.method == "POST":
        if "annual" in request.POST:
            annual = AnnualRunForm(request.POST, prefix="annual")
            if annual.is_valid() and "confirm" not in request.POST:
                # Check first: how many invoices, for how much, before any is issued.
                preview = selectors.annual_run_preview(annual.cleaned_data["academic_year"])
                return render(
                    request, "finance/annual_run_check.html", {"form": annual, "preview": preview}
                )
            if annual.is_valid():
                data = annual.cleaned_data
                job = services.start_job(
                    kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN,
                    parameter=data["academic_year"],
                    started_by=request.user,
                )
                issue = data["issue_date"].isoformat() if data["issue_date"] else None
                queue(job, tasks.annual_membership_run, data["academic_year"], issue)
                return redirect("finance:job", pk=job.pk)
        elif "conversions" in request.POST:
            try:
                moved = services.rebill_conversions(
                    issue_date=datetime.date.today(), issued_by=request.user
                )
            except services.FinanceError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    f"{count_of(len(moved), 'membership')} credited to the school and "
                    "billed to the academy it became",
                )
            return redirect("finance:runs")
        elif "monthly" in request.POST:
            monthly = MonthlyRunForm(request.POST, prefix="monthly")
            if monthly.is_valid():
                data = monthly.cleaned_data
                job = services.start_job(
                    kind=Job.Kind.MONTHLY_BOOKINGS_RUN,
                    parameter=data["month"],
                    started_by=request.user,
                )
                issue = data["issue_date"].isoformat() if data["issue_date"] else None
                queue(job, tasks.monthly_bookings_run, data["month"], issue)
                return redirect("finance:job", pk=job.pk)
    table = JobTable(Job.objects.select_related("started_by"))
    RequestConfig(request, paginate={"per_page": 20}).configure(table)
    return render(
        request,
        "finance/runs.html",
        {
            "annual": annual,
            "monthly": monthly,
            "table": table,
            "conversions": services.conversion_rebills(),
        },
    )


def _job_for(request, pk, **filters):
    """The job if this person may read it (job ids are sequential: guessing one shows nothing)."""
    job = get_object_or_404(Job, pk=pk, **filters)
    if not documents.may_read_job(request.user, job):
        raise Http404
    return job


@never_cache  # its progress changes by the second: no browser or proxy may keep it
@role_required(*REPORT_READERS)
def job_detail(request, pk):
    job = selectors.with_live_progress(_job_for(request, pk))
    if request.method == "POST" and request.user.role == Role.FINANCE and job.finished:
        ids = list(job.invoices.values_list("pk", flat=True))
        kind = Job.Kind.INVOICE_EMAILS if "email" in request.POST else Job.Kind.INVOICE_PDFS
        follow = services.start_job(kind=kind, parameter=f"run {job.pk}", started_by=request.user)
        queue(
            follow,
            tasks.email_invoices if kind == Job.Kind.INVOICE_EMAILS else tasks.render_invoice_pdfs,
            ids,
        )
        return redirect("finance:job", pk=follow.pk)
    invoices = InvoiceTable(selectors.invoices_with_status().filter(job=job))
    RequestConfig(request, paginate={"per_page": 50}).configure(invoices)
    report = StoredPdf.objects.filter(key=documents.report_key(job.pk)).first()
    return render(request, "finance/job.html", {"job": job, "table": invoices, "report": report})


@role_required(*REPORT_READERS)
def job_status(request, pk):
    job = selectors.with_live_progress(_job_for(request, pk))
    return JsonResponse(
        {
            "percent": job.percent,
            "message": job.message or job.get_status_display(),
            "finished": job.finished,
            # The job page itself shows the outcome (invoices issued, the report to download).
            "redirect": reverse("finance:job", args=[job.pk]) if job.finished else "",
        }
    )


@role_required(*REPORT_READERS)
def report_download(request, pk):
    job = _job_for(request, pk, kind=Job.Kind.REPORT_PDF)
    stored = get_object_or_404(StoredPdf, key=documents.report_key(job.pk))
    return pdf_response(stored, f"{file_name(job.parameter)}.pdf")


# --- Reports -------------------------------------------------------------------------------


@role_required(*REPORT_READERS)
def report_pdf(request, report):
    """Start rendering a report PDF in the background; the job page offers the download."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if report not in documents.REPORTS:
        raise Http404
    if request.user.role not in documents.report_readers(report):
        raise Http404
    options = {}
    if report == "scenarios":
        # The scenario's inputs travel in the query string of the page they were set on.
        form = ScenarioForm(request.GET)
        if not form.is_valid():
            raise Http404("Set the scenario first")
        options = {key: request.GET[key] for key in form.fields}
        parameter = form.cleaned_data["financial_year"]
    else:
        try:
            parse = FinancialYear.parse if report == "trading-account" else AcademicYear.parse
            parameter = str(parse(request.POST.get("parameter", "")))
        except ValueError as exc:
            raise Http404("Not a year") from exc
    job = services.start_job(
        kind=Job.Kind.REPORT_PDF, parameter=f"{report} {parameter}", started_by=request.user
    )
    queue(job, tasks.render_report_pdf, report, parameter, options)
    return redirect("finance:job", pk=job.pk)


@role_required(*REPORT_READERS)
def reports_index(request):
    return render(
        request, "finance/reports.html", {"financial_year": selectors.default_financial_year()}
    )


@role_required(*REPORT_READERS)
def break_even(request):
    default_year = str(AcademicYear.containing(datetime.date.today()))
    data = request.GET if "academic_year" in request.GET else {"academic_year": default_year}
    form = BreakEvenForm(data)
    report = None
    if form.is_valid():
        report = reports.break_even_report(
            form.cleaned_data["academic_year"], form.cleaned_data["average_fee"]
        )
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            name = f"break-even-{report.academic_year.replace('/', '-')}"
            return dataset_response(reports.break_even_dataset(report), name, fmt)
    chart = break_even_chart(report) if report else None
    return render(
        request,
        "finance/break_even.html",
        {
            "form": form,
            "report": report,
            "chart": chart,
            "chart_points": break_even_points(report) if chart else None,
            "show_links": request.user.has_role(*FINANCE),
            "plans_compared": plans.plans_against_break_even(report) if report else [],
        },
    )


@role_required(*REPORT_READERS)
def scenarios(request):
    initial_year = selectors.default_financial_year()
    form = ScenarioForm(
        request.GET if "financial_year" in request.GET else None,
        initial={"financial_year": initial_year},
    )
    results = register = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["financial_year"]
        results, register = reports.scenario_report(form.cleaned_data)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            return dataset_response(reports.scenarios_dataset(results), f"scenarios-{year}", fmt)
    return render(
        request,
        "finance/scenarios.html",
        {
            "form": form,
            "results": results,
            "register": register,
            "chart": scenario_chart(results) if results else None,
        },
    )


@role_required(*REPORT_READERS)
def costing(request):
    year = _year_from(request)
    fmt = request.GET.get("format", "csv")
    return dataset_response(
        reports.costing_dataset(year), f"costing-{year}", "xlsx" if fmt == "xlsx" else "csv"
    )
