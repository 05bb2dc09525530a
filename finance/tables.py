import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_tables2.data import TableQuerysetData
from django_tables2.utils import A

from partnership.money import format_money, pounds
from partnership.tables import DateColumn, FinancialYearColumn
from partnership.tables import Table as PortalTable
from partnership.templatetags.portal import status_tag

from . import audit
from .models import CreditNote, ExportBatch, HomeSchoolPayment, Invoice, Job, LedgerEntry
from .services import NOT_REVERSIBLE

NUM = {"td": {"class": "portal-num"}, "th": {"class": "portal-num"}}
NOTHING_TO_PAY = "Nothing to pay: recharged internally"


def action_link(url, label, subject):
    """A link whose visible text is short ("Download") and whose accessible name says what of."""
    return format_html(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
        url,
        label,
        subject,
    )


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_money(value)

    def value(self, value):
        # A number in the download (pounds format in XLSX), so a spreadsheet can add it.
        return pounds(value)


class InvoicePageData(TableQuerysetData):
    """A page of invoices with their status: the database orders and pages the invoices'
    keys, then works out what is credited and paid for that page's invoices only, not for
    every invoice on the pages before it."""

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        keys = list(self.data.values_list("pk", flat=True)[key])
        found = self.data.order_by().in_bulk(keys)
        return [found[pk] for pk in keys]


class InvoiceTable(PortalTable):
    number = tables.Column(
        linkify=("finance:invoice", [A("pk")]),
        attrs={"td": {"class": "portal-nowrap"}},
    )
    # Who is billed: the school, or the LA for support it commissioned.
    school = tables.Column(accessor="bill_to", verbose_name="Billed to", order_by=("bill_to",))
    issue_date = DateColumn()
    due_date = DateColumn()
    billing = tables.Column()
    gross_total = MoneyColumn(verbose_name="Total")
    balance = MoneyColumn(verbose_name="Balance")
    status = tables.Column()

    class Meta:
        model = Invoice
        fields = (
            "number",
            "school",
            "issue_date",
            "due_date",
            "billing",
            "gross_total",
            "balance",
            "status",
        )
        order_by = ("-issue_date", "-number")
        empty_text = "No invoices."

    def __init__(self, invoices, *, for_school=False, **kwargs):
        # A school is told a recharge needs nothing from it, not that it is due or overdue.
        self.for_school = for_school
        super().__init__(InvoicePageData(invoices), **kwargs)

    def render_balance(self, value, record):
        # The same answer as the invoice's own page gives the school, not a sum to pay.
        if self.for_school and record.is_internal_recharge:
            return "Nothing to pay"
        return format_money(value)

    def value_balance(self, value):
        # The download keeps the figure, as every money column's does.
        return pounds(value)

    def render_status(self, value, record):
        if self.for_school and record.is_internal_recharge:
            return status_tag("recharged", NOTHING_TO_PAY)
        return status_tag(value, dict(Invoice.Status.choices).get(value, value))

    def render_billing(self, record):
        # Each invoice's own billing. (The column's value is already the choice's label,
        # so comparing it with the stored code made every row "External invoice".)
        return record.get_billing_display()


class CreditNoteTable(tables.Table):
    number = tables.Column()
    invoice = tables.Column(
        accessor="invoice__number",
        verbose_name="Invoice",
        linkify=lambda record: reverse("finance:invoice", args=[record.invoice_id]),
    )
    school = tables.Column(accessor="invoice__bill_to", verbose_name="Billed to")
    issue_date = DateColumn()
    reason = tables.Column()
    gross_total = MoneyColumn(verbose_name="Credited")
    pdf = tables.Column(
        empty_values=(), orderable=False, verbose_name="PDF", exclude_from_export=True
    )

    class Meta:
        model = CreditNote
        fields = ("number", "invoice", "school", "issue_date", "reason", "gross_total")
        empty_text = "No credit notes."

    def render_pdf(self, record):
        return action_link(
            reverse("finance:credit_note_pdf", args=[record.pk]), "Download", record.number
        )


class JobTable(tables.Table):
    kind = tables.Column(
        verbose_name="Run", linkify=lambda record: reverse("finance:job", args=[record.pk])
    )
    parameter = tables.Column(verbose_name="For")
    created_at = DateColumn(format="d M Y H:i", verbose_name="Started")
    status = tables.Column()
    created_count = tables.Column(verbose_name="Created")
    message = tables.Column()

    class Meta:
        model = Job
        fields = ("kind", "parameter", "created_at", "status", "created_count", "message")
        empty_text = "No runs yet."

    def render_parameter(self, value, record):
        # A monthly run is for a month, kept as its first day ("2026-09-01").
        try:
            return f"{datetime.date.fromisoformat(value):%d %b %Y}"
        except ValueError:
            return record.subject

    def render_status(self, value, record):
        return status_tag(record.status, record.get_status_display())


class LedgerTable(tables.Table):
    entry_date = DateColumn(verbose_name="Date")
    financial_year = FinancialYearColumn(verbose_name="Year")
    side = tables.Column()
    entry_type = tables.Column(verbose_name="Type")
    description = tables.Column()
    budget_line = tables.Column(accessor="budget_line__code", verbose_name="Budget line")
    amount = MoneyColumn()
    reference = tables.Column()
    reason = tables.Column()
    export_batch = tables.Column(
        accessor="export_batch_number",
        verbose_name="Export batch",
        empty_values=(),
        order_by=("export_batch__number",),
    )
    reverse = tables.Column(
        empty_values=(), orderable=False, verbose_name="Action", exclude_from_export=True
    )

    class Meta:
        model = LedgerEntry
        fields = (
            "entry_date",
            "financial_year",
            "side",
            "entry_type",
            "description",
            "budget_line",
            "amount",
            "reference",
            "reason",
            "export_batch",
        )
        order_by = ("-entry_date",)
        empty_text = "No ledger entries."

    def render_side(self, record):
        return record.get_side_display()

    def render_entry_type(self, record):
        return record.get_entry_type_display()

    def render_export_batch(self, value, record):
        if value is None:
            return "Not yet exported"
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("finance:ledger_batch", args=[value]),
            value,
        )

    def value_export_batch(self, value):
        return value

    def render_reverse(self, record):
        if record.is_reversed:
            return "Reversed"
        if record.entry_type in NOT_REVERSIBLE:
            return ""
        return format_html(
            "{}<br>{}",
            action_link(
                reverse("finance:reverse_entry", args=[record.pk]), "Reverse", record.description
            ),
            action_link(
                reverse("finance:correct_entry", args=[record.pk]), "Correct", record.description
            ),
        )


class ExportBatchTable(tables.Table):
    number = tables.Column(
        verbose_name="Batch",
        linkify=lambda record: reverse("finance:ledger_batch", args=[record.number]),
    )
    up_to = DateColumn(format="d M Y", verbose_name="Entries up to")
    entry_count = tables.Column(verbose_name="Entries", attrs=NUM)
    debit_total = MoneyColumn(verbose_name="Debits")
    credit_total = MoneyColumn(verbose_name="Credits")
    exported_by = tables.Column(
        accessor="exported_by__get_full_name",
        verbose_name="Exported by",
        order_by=("exported_by__last_name", "exported_by__first_name"),
    )
    exported_at = DateColumn(format="d M Y H:i", verbose_name="Exported")
    download = tables.Column(
        empty_values=(), orderable=False, verbose_name="File", exclude_from_export=True
    )

    class Meta:
        model = ExportBatch
        fields = (
            "number",
            "up_to",
            "entry_count",
            "debit_total",
            "credit_total",
            "exported_by",
            "exported_at",
        )
        order_by = ("-number",)
        empty_text = "No batches exported yet."

    def render_download(self, record):
        return action_link(
            reverse("finance:ledger_batch_download", args=[record.number]),
            "Download again",
            f"batch {record.number}",
        )


class AuditTrailData(TableQuerysetData):
    """The audit trail's rows as entries: the database orders, counts and pages the merged
    history rows; each page (or each batch of a download) becomes entries in a fixed
    number of queries."""

    def __getitem__(self, key):
        if isinstance(key, slice):
            return audit.entries(self.data[key])
        return audit.entries(self.data[key : key + 1])[0]

    def __iter__(self):
        return audit.all_entries(self.data)


class AuditTable(tables.Table):
    when = DateColumn(format="d M Y H:i", order_by=("history_date", "history_id", "audited"))
    who = tables.Column(orderable=False)
    record_type = tables.Column(orderable=False, verbose_name="Record type")
    record = tables.Column(orderable=False)
    action = tables.Column(orderable=False)
    what_changed = tables.Column(orderable=False, verbose_name="What changed", empty_values=())

    class Meta:
        order_by = ("-when",)
        empty_text = "No changes match these filters."

    def __init__(self, rows, **kwargs):
        super().__init__(AuditTrailData(rows), **kwargs)

    def render_record(self, value, record):
        if record.url:
            return format_html('<a class="govuk-link" href="{}">{}</a>', record.url, value)
        return value

    def value_record(self, value):
        return value

    def render_what_changed(self, record):
        if len(record.changes) < 2:
            return record.what_changed
        return format_html(
            '<ul class="govuk-list govuk-!-margin-bottom-0">{}</ul>',
            format_html_join("", "<li>{}</li>", ((change,) for change in record.changes)),
        )

    def value_what_changed(self, record):
        return record.what_changed


class HomeSchoolPaymentTable(tables.Table):
    """Payments to practitioners' home schools, as the monthly runs made them."""

    month = DateColumn(format="M Y", verbose_name="Month run")
    school = tables.Column(accessor="school__name", verbose_name="Home school")
    practitioner_name = tables.Column(verbose_name="Practitioner")
    designation = tables.Column()
    description = tables.Column(verbose_name="For")
    delivered_on = DateColumn(verbose_name="Delivered")
    days = tables.Column(attrs=NUM)
    day_rate = MoneyColumn(verbose_name="Day rate")
    home_school_percent = tables.Column(verbose_name="Home school's share", attrs=NUM)
    amount = MoneyColumn(verbose_name="Paid")

    class Meta:
        model = HomeSchoolPayment
        fields = (
            "month",
            "school",
            "practitioner_name",
            "designation",
            "description",
            "delivered_on",
            "days",
            "day_rate",
            "home_school_percent",
            "amount",
        )
        order_by = ("-month", "school")
        empty_text = "No payments to home schools."

    def render_days(self, value):
        return f"{value.normalize():f}"

    def value_days(self, value):
        return value

    def render_home_school_percent(self, value):
        return f"{value.normalize():f}%"

    def value_home_school_percent(self, value):
        return value

    def value_month(self, value):
        return value.strftime("%Y-%m")
