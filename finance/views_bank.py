"""Payments in from the bank: upload the bank's CSV of receipts, check, confirm.
Finance officers only; thin, like the other finance pages (finance.receipts does the work)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from partnership.money import format_money
from partnership.permissions import role_required
from partnership.roles import Role

from . import bank_file, receipts
from .forms import BankFileForm, ReceiptAllocationForm
from .models import BankStatement
from .views import kept_by_nobody

# What the column map reads, for the upload page (the same names docs/finance.md lists).
ACCEPTED_HEADERS = (
    ("Date (dd/mm/yyyy or yyyy-mm-dd)", bank_file.DATE_HEADERS),
    ("Money in", bank_file.MONEY_IN_HEADERS),
    ("Money out (counted, never recorded)", bank_file.MONEY_OUT_HEADERS),
    ("Or one amount, money in positive", bank_file.AMOUNT_HEADERS),
    ("Description (every one the file has)", bank_file.DESCRIPTION_HEADERS),
    ("Reference (optional)", bank_file.REFERENCE_HEADERS),
)
BREADCRUMBS = [("Invoices", "finance:invoices")]


def _breadcrumbs(*more):
    return [(label, reverse(name)) for label, name in BREADCRUMBS] + list(more)


@kept_by_nobody
@role_required(Role.FINANCE)
def bank_upload(request):
    form = BankFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = receipts.read_statement(form.cleaned_data["file"], uploaded_by=request.user)
        except bank_file.BankFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("finance:bank_statement", pk=statement.pk)
    return render(
        request,
        "finance/receipts/upload.html",
        {
            "form": form,
            "headers": ACCEPTED_HEADERS,
            "max_receipts": bank_file.MAX_RECEIPTS,
            "statements": receipts.recent_statements(),
            "breadcrumbs": _breadcrumbs(("Payments from the bank", None)),
        },
    )


@kept_by_nobody
@role_required(Role.FINANCE)
def bank_statement(request, pk):
    statement = get_object_or_404(BankStatement.objects.select_related("uploaded_by"), pk=pk)
    check = receipts.check_statement(statement)
    form = ReceiptAllocationForm(
        request.POST if request.method == "POST" else None,
        check=check,
        initial={line.field_name: line.invoice.number for line in check.matched},
    )
    if request.method == "POST" and form.is_valid():
        try:
            recorded = receipts.record_receipts(
                statement=statement, allocations=form.allocations, recorded_by=request.user
            )
        except receipts.ReceiptError as exc:
            form.add_error(None, str(exc))
        else:
            count = len(recorded.payments)
            said = (
                f"{count} payment{'s' if count != 1 else ''} recorded, totalling "
                f"{format_money(recorded.total)}"
            )
            if recorded.already:
                said += (
                    f"; {len(recorded.already)} line{'s' if len(recorded.already) != 1 else ''} "
                    "had been recorded already and were left"
                )
            messages.success(request, said)
            return redirect("finance:bank_statement", pk=statement.pk)
    return render(
        request,
        "finance/receipts/check.html",
        {
            "statement": statement,
            "check": check,
            "form": form,
            "matched": [(line, form[line.field_name]) for line in check.matched],
            "differs": [(line, form[line.field_name]) for line in check.amount_differs],
            "unmatched": [(line, form[line.field_name]) for line in check.unmatched],
            "breadcrumbs": _breadcrumbs(
                ("Payments from the bank", reverse("finance:bank_upload")),
                (statement.file_name, None),
            ),
        },
    )
