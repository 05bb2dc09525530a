"""The trading account: budget lines, the ledger, invoices, credit notes and payments.

Financial records are never edited once written. Invoices, their lines, credit notes,
payments and ledger entries refuse updates and deletes here (model save/delete and
queryset update/delete) and, on PostgreSQL, in the database (migration 0002 adds a
trigger). A mistake is put right by a reversing ledger entry or a credit note.

Invoices, credit notes, payments, ledger entries and invoice emails keep a history
(django-simple-history) so the audit trail shows who wrote each one and when; their
history tables refuse updates and deletes on PostgreSQL too (migration 0005).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from partnership.calendars import FinancialYear
from partnership.history import AuditedRecords

MONEY = {"max_digits": 12, "decimal_places": 2}


class ImmutableRecordError(Exception):
    """Raised when code tries to change or remove a financial record once written."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model.__name__} rows are never updated")

    def delete(self):
        raise ImmutableRecordError(f"{self.model.__name__} rows are never deleted")


def signed_in_or(person):
    """simple-history's `get_user` for financial records: the person signed in, or, when a
    background run writes the record (no request), the person the record names."""

    def get_user(instance, request=None, **kwargs):
        if request is not None:
            return request.user
        return person(instance)

    return get_user


class ImmutableModel(models.Model):
    """Written once, then never changed: corrections are new records."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(
                f"{type(self).__name__} {self.pk} is issued and cannot change"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} {self.pk} cannot be deleted")


class BudgetLine(models.Model):
    """A budgeted cost or income line of the trading account for one partnership year.

    Loaded from the partnership file's `costs:` and `income:` sections: the budget of the
    file's year (1 September to 31 August unless the file moves the start month), spread
    evenly over its months; a financial year's account takes the months that fall in it.
    Editable by finance officers; every edit is kept in the line's history.
    """

    class Kind(models.TextChoices):
        CORE = "core", "Core cost"
        ADDITIONAL = "additional", "Additional offer cost"
        INCOME = "income", "Income"

    budget_year = models.CharField(
        max_length=7, db_index=True, help_text="The partnership year budgeted, e.g. 2026/27."
    )
    starts_on = models.DateField(help_text="First day of the partnership year.")
    ends_on = models.DateField(help_text="Last day of the partnership year.")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("1"))
    unit = models.CharField(max_length=30, blank=True)
    unit_cost = models.DecimalField(**MONEY, default=Decimal("0"))
    amount = models.DecimalField(**MONEY)
    forecast_override = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text=(
            "A finance officer's forecast for the whole partnership year, replacing the "
            "calculated one."
        ),
    )
    # The council's codes for what is posted to this line, from the partnership file (blank:
    # the codes of the entry's kind, finance/accounts.py).
    cost_centre = models.CharField(max_length=30, blank=True)
    account_code = models.CharField("account (subjective) code", max_length=30, blank=True)
    cfr_code = models.CharField("CFR code", max_length=10, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget_year", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "code"], name="one_budget_line_code_per_budget_year"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="budget_line_period_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.budget_year})"

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_income(self):
        return self.kind == self.Kind.INCOME


class DocumentSequence(models.Model):
    """The last number used for invoices or credit notes in one financial year.

    The row is locked (select_for_update) by the transaction that issues a document, so
    concurrent invoice runs queue on it: numbers have no gaps and no duplicates.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"
        # One sequence for every year (financial_year "all"): a batch may hold entries of two.
        LEDGER_BATCH = "ledger_batch", "Ledger export batch"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    financial_year = models.CharField(max_length=7)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "financial_year"], name="one_sequence_per_kind_and_year"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.financial_year}: {self.last_number}"


def job_progress_key(job_id: int) -> str:
    """Where a running job's progress is kept in the cache."""
    return f"finance:job-progress:{job_id}"


class Job(models.Model):
    """A piece of background work (invoice run, PDFs, emails, report) and its progress."""

    class Kind(models.TextChoices):
        ANNUAL_MEMBERSHIP_RUN = "annual_membership_run", "Annual membership invoice run"
        MONTHLY_BOOKINGS_RUN = "monthly_bookings_run", "Monthly bookings invoice run"
        INVOICE_PDFS = "invoice_pdfs", "Invoice PDFs"
        INVOICE_EMAILS = "invoice_emails", "Invoice emails"
        REPORT_PDF = "report_pdf", "Report PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    parameter = models.CharField(
        max_length=50, blank=True, help_text="Academic year, month (2026-09) or report name."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.parameter}".strip()

    @property
    def subject(self) -> str:
        """What the job is for, as pages write it: "Trading account statement 2026/27" for
        the report job kept as "trading-account 2026-27"; an academic year or a month as
        kept (a table writes the month its own way)."""
        from partnership.words import financial_year

        if self.kind == self.Kind.REPORT_PDF:
            from .documents import REPORTS

            report, _, year = self.parameter.partition(" ")
            return f"{REPORTS.get(report, report)} {financial_year(year)}".strip()
        return self.parameter

    @property
    def percent(self):
        if self.status == self.Status.FINISHED:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self):
        return self.status in (self.Status.FINISHED, self.Status.FAILED)


class Invoice(ImmutableModel):
    """A bill to a school, or to the LA for support it commissioned (no school: per-school
    permissions then hide it from every school). Issued once with its number; never
    edited (credit notes correct it)."""

    class Billing(models.TextChoices):
        # Who is recharged depends on the partnership's legal form (rules.billing_for): a
        # schools-led company invoices maintained schools too, so no "(academy)" here.
        INTERNAL_RECHARGE = "internal_recharge", "Internal recharge"
        EXTERNAL_INVOICE = "external_invoice", "External invoice"

    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        PART_PAID = "part_paid", "Part paid"
        PAID = "paid", "Paid"
        CREDITED = "credited", "Credited"
        OVERDUE = "overdue", "Overdue"

    number = models.CharField(max_length=30, unique=True)
    financial_year = models.CharField(max_length=7, db_index=True)
    sequence = models.PositiveIntegerField()
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        help_text="Blank for an invoice to the LA.",
    )
    bill_to = models.CharField(max_length=200)
    billing = models.CharField(max_length=20, choices=Billing.choices)
    purchase_order = models.CharField("purchase order number", max_length=50, blank=True)
    issue_date = models.DateField()
    due_date = models.DateField()
    net_total = models.DecimalField(**MONEY)
    vat_total = models.DecimalField(**MONEY)
    gross_total = models.DecimalField(**MONEY)
    job = models.ForeignKey(
        Job, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=signed_in_or(lambda invoice: invoice.issued_by))

    class Meta:
        ordering = ["-issue_date", "-sequence"]
        # The invoice list opens newest first over every school's invoices.
        indexes = [models.Index(fields=["-issue_date", "-number"], name="invoice_newest_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "sequence"], name="one_invoice_per_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(gross_total=models.F("net_total") + models.F("vat_total")),
                name="invoice_gross_is_net_plus_vat",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_internal_recharge(self):
        """Charged to the school's budget by a journal: the school has nothing to pay."""
        return self.billing == self.Billing.INTERNAL_RECHARGE


class InvoiceLine(ImmutableModel):
    """One charge on an invoice. `source` names what it bills ("membership:12") exactly once."""

    class IncomeAccount(models.TextChoices):
        MEMBERSHIP = "membership", "Membership fees"
        SALES = "sales", "Sales to schools"
        COMMISSIONED = "commissioned", "LA commissioning"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=9, decimal_places=2)
    unit_price = models.DecimalField(**MONEY)
    vat_rate = models.DecimalField("VAT rate (%)", max_digits=5, decimal_places=2)
    net = models.DecimalField(**MONEY)
    vat = models.DecimalField(**MONEY)
    gross = models.DecimalField(**MONEY)
    source = models.CharField(max_length=100, blank=True)
    # The school's order for this line's booking, printed beside it: an invoice that bills
    # several bookings carries several orders, and a school matches each to its own.
    purchase_order = models.CharField("purchase order number", max_length=50, blank=True)
    income_account = models.CharField(max_length=12, choices=IncomeAccount.choices)
    recognise_from = models.DateField(help_text="First day income is earned.")
    recognise_to = models.DateField(help_text="Last day income is earned.")

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="bill_each_source_once"
            ),
            models.UniqueConstraint(fields=["invoice", "position"], name="one_line_per_position"),
        ]

    def __str__(self):
        return f"{self.invoice.number} line {self.position}"


class CreditNote(ImmutableModel):
    """A correction to an issued invoice, numbered in its own sequence (CN-2026-27-00001)."""

    number = models.CharField(max_length=30, unique=True)
    financial_year = models.CharField(max_length=7, db_index=True)
    sequence = models.PositiveIntegerField()
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    issue_date = models.DateField()
    reason = models.CharField(max_length=300)
    net_total = models.DecimalField(**MONEY)
    vat_total = models.DecimalField(**MONEY)
    gross_total = models.DecimalField(**MONEY)
    # Set when the charge credited was not taken back but moved to someone else: the
    # academy a school became, billed on this invoice for the months from its conversion.
    # Such a credit changes who pays, not what the partnership earns.
    rebilled_on = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="rebilled_from"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=signed_in_or(lambda note: note.issued_by))

    class Meta:
        ordering = ["-issue_date", "-sequence"]
        indexes = [
            models.Index(fields=["-issue_date", "-sequence"], name="credit_note_newest_first")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "sequence"], name="one_credit_note_per_sequence"
            )
        ]

    def __str__(self):
        return self.number


class CreditNoteLine(ImmutableModel):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.PROTECT, related_name="lines")
    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, related_name="credit_lines"
    )
    description = models.CharField(max_length=300)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    net = models.DecimalField(**MONEY)
    vat = models.DecimalField(**MONEY)
    gross = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["credit_note", "pk"]

    def __str__(self):
        return f"{self.credit_note.number}: {self.description}"


class Payment(ImmutableModel):
    """Money received against an invoice (never more than its balance)."""

    class Method(models.TextChoices):
        BACS = "bacs", "Bank transfer (BACS)"
        INTERNAL_RECHARGE = "internal_recharge", "Internal recharge journal"
        CHEQUE = "cheque", "Cheque"
        CARD = "card", "Card"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    received_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=signed_in_or(lambda payment: payment.recorded_by))

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_more_than_zero")
        ]

    def __str__(self):
        return f"£{self.amount} on {self.received_on}"


class LedgerEntryQuerySet(ImmutableQuerySet):
    def mark_exported(self, batch) -> int:
        """Name the export batch the entries went out in: the one change a ledger entry
        ever takes, and only once (an entry already in a batch is left as it is; on
        PostgreSQL the database refuses any other change, migration 0011)."""
        return models.QuerySet.update(self.filter(export_batch__isnull=True), export_batch=batch)


class LedgerEntry(ImmutableModel):
    """One amount on the trading account, in the month it is earned or spent.

    `amount` is positive for income earned and for money spent; credit notes and
    reversals carry negative amounts. Never edited or deleted: reverse it instead.
    Once exported to the council's finance system it names its `export_batch`; a
    correction is then a reversal and a re-post, both going out in a later batch.
    """

    class Side(models.TextChoices):
        INCOME = "income", "Income"
        EXPENDITURE = "expenditure", "Expenditure"

    class EntryType(models.TextChoices):
        INVOICE_LINE = "invoice_line", "Invoice line"
        CREDIT_NOTE_LINE = "credit_note_line", "Credit note line"
        LA_COMMISSIONED = "la_commissioned", "LA-commissioned delivery"
        DEPLOYMENT_COST = "deployment_cost", "Delivered deployment cost"
        TASK_GROUP_DAY = "task_group_day", "Task-and-finish group day"
        PRACTITIONER_PAYMENT = "practitioner_payment", "Practitioner payment to home school"
        JOURNAL = "journal", "Manual journal"
        REVERSAL = "reversal", "Reversal"

    side = models.CharField(max_length=12, choices=Side.choices)
    entry_type = models.CharField(max_length=20, choices=EntryType.choices)
    entry_date = models.DateField()
    financial_year = models.CharField(max_length=7, db_index=True)
    amount = models.DecimalField(**MONEY)
    description = models.CharField(max_length=300)
    reference = models.CharField(max_length=100, blank=True)
    source_key = models.CharField(
        max_length=120, blank=True, help_text="What the entry records, once: 'deployment:12'."
    )
    income_account = models.CharField(max_length=12, blank=True)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    credit_note_line = models.ForeignKey(
        CreditNoteLine, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reposts = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reposted_as",
        help_text="The reversed entry this one posts again, corrected.",
    )
    export_batch = models.ForeignKey(
        "ExportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        help_text="The batch it went to the council's finance system in; blank: not yet.",
    )
    reason = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=signed_in_or(lambda entry: entry.made_by))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["entry_date", "pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="record_each_source_once",
            ),
        ]
        indexes = [
            models.Index(fields=["financial_year", "side", "entry_date"]),
            # The ledger list opens newest first over every year's entries.
            models.Index(fields=["-entry_date", "-id"], name="ledger_newest_first"),
        ]

    def __str__(self):
        return f"{self.entry_date} {self.description} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.export_batch_id:
            raise ImmutableRecordError(self.exported_message())
        self.financial_year = str(FinancialYear.containing(self.entry_date))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.export_batch_id:
            raise ImmutableRecordError(self.exported_message())
        super().delete(*args, **kwargs)

    def exported_message(self):
        return (
            f"Ledger entry {self.pk} went to the council's finance system in export batch "
            f"{self.export_batch.number}: reverse it and post it again instead"
        )

    @property
    def made_by(self):
        """Who entered it, or who issued the invoice or credit note it records."""
        if self.entered_by_id:
            return self.entered_by
        if self.invoice_line_id:
            return self.invoice_line.invoice.issued_by
        if self.credit_note_line_id:
            return self.credit_note_line.credit_note.issued_by
        return None


class HomeSchoolPayment(ImmutableModel):
    """What the partnership pays a practitioner's home school for days delivered: its share
    of days × the designation's day rate, frozen when the days were confirmed.

    Produced by the monthly run, one for each delivered deployment (its `source`,
    "deployment:<id>", once), with the ledger entry that posts it to the trading account
    as a cost. Never changed: a mistake is put right by reversing the ledger entry.
    """

    source = models.CharField(max_length=50, unique=True)
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="home_school_payments"
    )
    practitioner_name = models.CharField(max_length=200)
    designation = models.CharField(max_length=10)
    description = models.CharField(max_length=300)
    delivered_on = models.DateField("days delivered by")
    days = models.DecimalField(max_digits=4, decimal_places=1)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)
    home_school_percent = models.DecimalField(
        "home school's share (%)", max_digits=5, decimal_places=2
    )
    amount = models.DecimalField(**MONEY)
    month = models.DateField("month run", help_text="The first day of the month the run covered.")
    ledger_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="home_school_payment"
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "school__name", "delivered_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="home_school_payment_not_negative"
            )
        ]
        indexes = [models.Index(fields=["-month", "-id"], name="home_payment_newest_first")]

    def __str__(self):
        return f"£{self.amount} to {self.school} for {self.practitioner_name}"

    @property
    def financial_year(self) -> str:
        return str(FinancialYear.containing(self.delivered_on))


class LedgerLayout(models.Model):
    """How the council's finance system takes the ledger: the partnership file's `ledger:`
    section (docs/partnership-file-extensions.md). One row; none means the default layout
    (finance.ledger_layout.DEFAULT_LAYOUT, the columns of the original export)."""

    columns = models.JSONField(
        default=list, help_text='In order: {"heading": ..., "field": ...} or {"heading", "value"}.'
    )
    date_format = models.CharField(max_length=20, default="yyyy-mm-dd")
    credits = models.CharField(
        max_length=10, default="positive", help_text="positive or negative: the sign of a credit."
    )
    accounts = models.JSONField(
        default=dict, help_text="Codes by kind of entry: cost_centre, account_code, cfr_code."
    )
    history = HistoricalRecords()

    def __str__(self):
        return "Ledger export layout"


class ExportBatch(ImmutableModel):
    """Ledger entries sent to the council's finance system together, as one file.

    Written once with the file exactly as it was first downloaded, so a download again is
    the same bytes (sha256 kept to show it); never changed or deleted. Every entry in it
    names it (`LedgerEntry.export_batch`, set once), so no entry goes out twice.
    """

    number = models.PositiveIntegerField(unique=True)
    up_to = models.DateField(help_text="It took the entries dated on or before this day.")
    first_entry_on = models.DateField()
    last_entry_on = models.DateField()
    entry_count = models.PositiveIntegerField()
    debit_total = models.DecimalField(**MONEY)
    credit_total = models.DecimalField(**MONEY)
    file_name = models.CharField(max_length=100)
    content = models.TextField(help_text="The file as it was exported (UTF-8 CSV).")
    sha256 = models.CharField(max_length=64)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exported_at = models.DateTimeField(auto_now_add=True)
    # The file is kept once, on the batch (which never changes), not again in its history.
    history = HistoricalRecords(
        get_user=signed_in_or(lambda batch: batch.exported_by), excluded_fields=["content"]
    )

    class Meta:
        ordering = ["-number"]
        verbose_name_plural = "export batches"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry_count__gt=0), name="export_batch_is_never_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(first_entry_on__lte=models.F("last_entry_on"))
                & models.Q(last_entry_on__lte=models.F("up_to")),
                name="export_batch_entries_within_its_period",
            ),
        ]

    def __str__(self):
        return f"Export batch {self.number}"

    @property
    def content_bytes(self) -> bytes:
        return self.content.encode("utf-8")


class StoredPdf(models.Model):
    """A rendered PDF (invoice, credit note, report), kept so it is rendered once."""

    key = models.CharField(max_length=100, unique=True)
    file = models.FileField(upload_to="finance/pdf/")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key


class InvoiceEmail(models.Model):
    """That an invoice was emailed, so a second email run sends nothing twice."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="email")
    sent_to = models.CharField(max_length=500)
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.invoice.number} to {self.sent_to}"


class BankStatement(models.Model):
    """A bank file of receipts a finance officer uploaded, read and waiting to be checked.

    Its lines are what the file said; they become payments only when the officer confirms
    them on the check page (each then has its BankReceipt).
    """

    file_name = models.CharField(max_length=255)
    columns = models.CharField(
        max_length=500, help_text="The columns read, as found in the file's header row."
    )
    rows = models.PositiveIntegerField(default=0, help_text="Rows of transactions read.")
    ignored = models.PositiveIntegerField(
        default=0, help_text="Rows of money out, negative, nil or no amount: not receipts."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d/%m/%Y %H:%M})"


class BankStatementLine(models.Model):
    """One line of money in from an uploaded bank file."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    line = models.PositiveIntegerField(help_text="Its line in the file (the header is line 1).")
    received_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    description = models.TextField(blank=True)
    reference = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["statement", "line"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "line"], name="one_bank_line_per_line"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="bank_line_is_money_in"),
        ]

    def __str__(self):
        return f"Line {self.line}: £{self.amount} on {self.received_on}"

    @property
    def text(self):
        return " ".join(part for part in (self.description, self.reference) if part)


class BankReceipt(ImmutableModel):
    """A line of a bank file recorded as a payment. Its fingerprint (date, amount, text and
    place among identical lines: finance.bank_file.fingerprint) is unique, so the same line,
    however often its file is uploaded or confirmed, becomes one payment only."""

    fingerprint = models.CharField(max_length=64, unique=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="bank_receipt")
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="receipts")
    line = models.PositiveIntegerField(help_text="Its line in the file it was recorded from.")
    received_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=signed_in_or(lambda receipt: receipt.recorded_by))

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="bank_receipt_is_money_in"
            )
        ]

    def __str__(self):
        return f"£{self.amount} on {self.received_on} (line {self.line})"


class Plan(models.Model):
    """A three-year plan of the partnership's money: a scenario, saved under its name, of
    the LA's contribution stepping down, members, fee and cost uplifts (finance.plans).

    Its year 1 is the partnership year `base_year`; it starts from that year's budget, its
    members and their fees (finance.services.start_plan), so year 1 as started agrees
    with the break-even report. Finance officers and coordinators change it; every change
    is in its history.
    """

    name = models.CharField(max_length=120, unique=True)
    base_year = models.CharField(
        max_length=7, help_text="The partnership year that is year 1, e.g. 2026/27."
    )
    starting_members = models.PositiveIntegerField()
    starting_fees = models.DecimalField(
        **MONEY, help_text="What the base year's members pay in fees, together."
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedRecords()

    class Meta:
        ordering = ["base_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starting_fees__gte=0), name="plan_starting_fees_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class PlanYear(models.Model):
    """One of a plan's three years: what it assumes of the LA, members, fees and costs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="years")
    number = models.PositiveSmallIntegerField()
    la_contribution = models.DecimalField(**MONEY)
    members = models.PositiveIntegerField()
    fee_uplift_percent = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    cost_uplift_percent = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    history = AuditedRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_year_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=3), name="plan_year_is_1_to_3"
            ),
            models.CheckConstraint(
                condition=models.Q(la_contribution__gte=0),
                name="plan_la_contribution_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.plan.name}: year {self.number}"


class PlanLine(models.Model):
    """A line of the base year's budget in a plan: its amount in the base year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=BudgetLine.Kind.choices)
    amount = models.DecimalField(**MONEY)
    history = AuditedRecords()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="one_plan_line_per_code"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="plan_line_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.plan.name})"
