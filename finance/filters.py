import django_filters

from offers.models import Practitioner
from partnership.calendars import FinancialYear

from . import audit
from .models import ExportBatch, HomeSchoolPayment, Invoice, LedgerEntry


class FinancialYearFilter(django_filters.CharFilter):
    """A financial year typed as pages write it (2026/27) or as files do (2026-27)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Financial year")
        kwargs.setdefault("help_text", "For example, 2026/27")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        try:
            value = str(FinancialYear.parse_typed(value))
        except ValueError:
            pass  # not a year: it matches nothing, as any other unknown value does
        return super().filter(qs, value)


class InvoiceFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(lookup_expr="icontains", label="Invoice number")
    school = django_filters.CharFilter(
        field_name="school__name", lookup_expr="icontains", label="School"
    )
    status = django_filters.ChoiceFilter(
        choices=Invoice.Status.choices, label="Status", empty_label="Any status"
    )
    financial_year = FinancialYearFilter()
    billing = django_filters.ChoiceFilter(
        choices=Invoice.Billing.choices, label="Billing", empty_label="Any billing"
    )

    class Meta:
        model = Invoice
        fields = ["number", "school", "status", "financial_year", "billing"]


class LedgerFilter(django_filters.FilterSet):
    financial_year = FinancialYearFilter()
    side = django_filters.ChoiceFilter(choices=LedgerEntry.Side.choices, empty_label="Either side")
    entry_type = django_filters.ChoiceFilter(
        choices=LedgerEntry.EntryType.choices, label="Type", empty_label="Any type"
    )
    description = django_filters.CharFilter(lookup_expr="icontains")
    exported = django_filters.ChoiceFilter(
        choices=[("yes", "Exported"), ("no", "Not yet exported")],
        method="filter_exported",
        label="Sent to the council",
        empty_label="Either",
    )

    class Meta:
        model = LedgerEntry
        fields = ["financial_year", "side", "entry_type", "description", "exported"]

    def filter_exported(self, queryset, name, value):
        return queryset.filter(export_batch__isnull=value != "yes")


class ExportBatchFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        field_name="up_to",
        lookup_expr="gte",
        label="Entries up to, from",
        help_text="For example, 2026-04-01",
    )
    until = django_filters.DateFilter(
        field_name="up_to",
        lookup_expr="lte",
        label="Entries up to, until",
        help_text="For example, 2027-03-31",
    )

    class Meta:
        model = ExportBatch
        fields = ["since", "until"]


class AuditFilter(django_filters.FilterSet):
    """Filters of the audit trail.

    The trail is a union of history tables, which cannot be filtered once merged, so the
    whole form goes to `audit.trail()`, which filters each table before the union.
    """

    record_type = django_filters.ChoiceFilter(
        choices=audit.RECORD_TYPES, label="Record type", empty_label="Any record"
    )
    who = django_filters.CharFilter(label="Who", help_text="Part of a name or email address")
    action = django_filters.ChoiceFilter(
        choices=[("created", "Created"), ("changed", "Changed"), ("deleted", "Deleted")],
        label="Change",
        empty_label="Any change",
    )
    since = django_filters.DateFilter(label="From", help_text="For example, 2026-09-01")
    until = django_filters.DateFilter(label="To", help_text="For example, 2026-09-30")
    search = django_filters.CharFilter(
        label="Record name or number", help_text="For example, INV-2026-27-00001 or B00012"
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, queryset=audit.trail(), **kwargs)

    def filter_queryset(self, queryset):
        return audit.trail(**self.form.cleaned_data)


class HomeSchoolPaymentFilter(django_filters.FilterSet):
    school = django_filters.CharFilter(
        field_name="school__name", lookup_expr="icontains", label="Home school"
    )
    practitioner = django_filters.CharFilter(
        field_name="practitioner_name", lookup_expr="icontains", label="Practitioner"
    )
    designation = django_filters.ChoiceFilter(
        choices=Practitioner.Designation.choices, label="Designation", empty_label="Any"
    )
    financial_year = django_filters.CharFilter(
        label="Financial year",
        help_text="Of the days delivered, for example 2026/27",
        method="filter_financial_year",
    )

    class Meta:
        model = HomeSchoolPayment
        fields = ["school", "practitioner", "designation", "financial_year"]

    def filter_financial_year(self, queryset, name, value):
        try:
            year = FinancialYear.parse_typed(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(delivered_on__range=(year.starts_on, year.ends_on))
