from django.urls import path

from . import views, views_audit, views_bank, views_ledger

app_name = "finance"
urlpatterns = [
    path("", views.trading_account, name="trading_account"),
    path("budget/<int:pk>/", views.budget_line_edit, name="budget_line"),
    path("journal/", views.journal, name="journal"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<int:pk>/reverse/", views.reverse_entry, name="reverse_entry"),
    path("ledger/<int:pk>/correct/", views_ledger.correct_entry, name="correct_entry"),
    path("ledger-export/", views.ledger_export, name="ledger_export"),
    path("ledger/batches/", views_ledger.batches, name="ledger_batches"),
    path("ledger/batches/new/", views_ledger.batch_new, name="ledger_batch_new"),
    path("ledger/batches/<int:number>/", views_ledger.batch_detail, name="ledger_batch"),
    path(
        "ledger/batches/<int:number>/download/",
        views_ledger.batch_download,
        name="ledger_batch_download",
    ),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/payment/", views.record_payment, name="record_payment"),
    path("invoices/<int:pk>/credit-note/", views.issue_credit_note, name="issue_credit_note"),
    path("bank/", views_bank.bank_upload, name="bank_upload"),
    path("bank/<int:pk>/", views_bank.bank_statement, name="bank_statement"),
    path("credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("runs/", views.runs, name="runs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/report.pdf", views.report_download, name="report_download"),
    path("reports/", views.reports_index, name="reports"),
    path("reports/break-even/", views.break_even, name="break_even"),
    path("reports/scenarios/", views.scenarios, name="scenarios"),
    path("reports/costing/", views.costing, name="costing"),
    path("reports/<slug:report>/pdf/", views.report_pdf, name="report_pdf"),
    path("audit/", views_audit.audit_trail, name="audit"),
]
