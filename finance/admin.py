"""Read-only admin for the finance records (changes go through the pages and services);
budget lines keep their history."""

from django.contrib import admin

from partnership.history_admin import HistoryAdmin

from .models import BudgetLine, CreditNote, ExportBatch, Invoice, Job, LedgerEntry, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetLine)
class BudgetLineAdmin(HistoryAdmin):
    list_display = ("budget_year", "code", "name", "kind", "amount", "forecast_override")
    list_filter = ("budget_year", "kind")


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "school", "issue_date", "due_date", "gross_total", "billing")
    search_fields = ("number", "school__name")


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ("number", "invoice", "issue_date", "gross_total")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "amount", "received_on", "method", "reference")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Never changed here, exported or not: corrected by a reversal (and a re-post)."""

    list_display = (
        "entry_date",
        "side",
        "entry_type",
        "description",
        "amount",
        "reference",
    )
    list_filter = ("financial_year", "side", "entry_type")


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "up_to", "entry_count", "debit_total", "credit_total", "exported_at")
    exclude = ("content",)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("kind", "parameter", "status", "done", "total", "created_at")
