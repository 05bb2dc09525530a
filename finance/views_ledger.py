"""The ledger's export batches and corrections: finance officers only, as the ledger is."""

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tables2 import RequestConfig

from partnership.permissions import role_required
from partnership.roles import Role
from partnership.words import count_of

from . import ledger_batches, selectors, services
from .filters import ExportBatchFilter
from .forms import CorrectionForm, ExportBatchForm
from .models import ExportBatch, LedgerEntry
from .tables import ExportBatchTable, LedgerTable

FINANCE = (Role.FINANCE,)


def _batches():
    # The list never loads the batches' files.
    return ExportBatch.objects.defer("content").select_related("exported_by")


@role_required(*FINANCE)
def batches(request):
    found = ExportBatchFilter(request.GET, queryset=_batches())
    table = ExportBatchTable(found.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    waiting = ledger_batches.waiting(timezone.localdate())
    layout, _ = selectors.current_layout()
    return render(
        request,
        "finance/ledger_batches.html",
        {"filter": found, "table": table, "waiting": waiting, "layout": layout},
    )


def _last_day_of_last_month(today: datetime.date) -> datetime.date:
    return today.replace(day=1) - datetime.timedelta(days=1)


@never_cache
@role_required(*FINANCE)
def batch_new(request):
    """The date, then a check page (count and totals), then the export: nothing is exported
    until the officer confirms what the check page showed."""
    if request.method != "POST" or "change" in request.POST:
        initial = {
            "up_to": request.POST.get("up_to") or _last_day_of_last_month(timezone.localdate())
        }
        return _batch_form(request, ExportBatchForm(initial=initial))
    form = ExportBatchForm(request.POST)
    if not form.is_valid():
        return _batch_form(request, form)
    up_to = form.cleaned_data["up_to"]
    if "confirm" in request.POST:
        try:
            batch = ledger_batches.export_batch(
                up_to=up_to, exported_by=request.user, checked=request.POST.get("checked", "")
            )
        except services.FinanceError as exc:
            form.add_error("up_to", str(exc))
            return _batch_form(request, form)
        messages.success(
            request,
            f"Batch {batch.number} exported: {count_of(batch.entry_count, 'entry', 'entries')}. "
            "Download its file for the council's finance system.",
        )
        return redirect("finance:ledger_batch", number=batch.number)
    waiting = ledger_batches.waiting(up_to)
    if not waiting.count:
        form.add_error(
            "up_to",
            f"There are no entries up to {up_to:%-d %B %Y} that have not been exported: "
            "choose a later date, or there is nothing to export",
        )
        return _batch_form(request, form)
    layout, _ = selectors.current_layout()
    return render(
        request,
        "finance/ledger_batch_check.html",
        {"form": form, "waiting": waiting, "layout": layout},
    )


def _batch_form(request, form):
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": "Export entries to the council's finance system",
            "button": "Continue",
            "intro": (
                "Every ledger entry up to the date you choose that has not gone out yet goes "
                "in the next batch, in the layout the partnership file sets. You check the "
                "count and totals before anything is exported."
            ),
            "breadcrumbs": [
                ("Ledger", reverse("finance:ledger")),
                ("Export batches", reverse("finance:ledger_batches")),
                ("Export", None),
            ],
        },
    )


@role_required(*FINANCE)
def batch_detail(request, number):
    batch = get_object_or_404(_batches(), number=number)
    table = LedgerTable(selectors.ledger_entries().filter(export_batch=batch))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "finance/ledger_batch.html", {"batch": batch, "table": table})


@role_required(*FINANCE)
def batch_download(request, number):
    """The batch's file again, the same bytes, named as a copy: downloading it again
    exports nothing."""
    batch = get_object_or_404(ExportBatch, number=number)
    content, name = ledger_batches.batch_download(batch)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*FINANCE)
def correct_entry(request, pk):
    entry = get_object_or_404(LedgerEntry.objects.select_related("export_batch"), pk=pk)
    problem = services.reversal_problem(entry)
    initial = {
        "entry_date": timezone.localdate(),
        "amount": entry.amount,
        "description": entry.description,
    }
    form = None if problem else CorrectionForm(request.POST or None, initial=initial)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            ledger_batches.repost_entry(entry=entry, entered_by=request.user, **form.cleaned_data)
        except services.FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Entry reversed and posted again: {entry.description}")
            return redirect("finance:ledger")
    summary = f"{entry.description}: £{entry.amount:,.2f} on {entry.entry_date:%-d %B %Y}."
    if entry.export_batch_id:
        summary += f" It went to the council in batch {entry.export_batch.number}."
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": "Correct a ledger entry",
            "button": "Reverse and post again",
            "intro": (
                f"{summary} {problem}."
                if problem
                else f"{summary} The entry itself never changes: a reversing entry and the "
                "corrected entry are added, and both go out in the next export batch."
            ),
            "breadcrumbs": [("Ledger", reverse("finance:ledger")), ("Correct", None)],
        },
    )
