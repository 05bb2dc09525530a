import django_filters

from .models import Invoice, LedgerEntry


class InvoiceFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(lookup_expr="icontains", label="Invoice number")
    school = django_filters.CharFilter(
        field_name="school__name", lookup_expr="icontains", label="School"
    )
    status = django_filters.ChoiceFilter(choices=Invoice.Status.choices, label="Status")
    financial_year = django_filters.CharFilter(
        label="Financial year", help_text="For example, 2026-27"
    )
    billing = django_filters.ChoiceFilter(choices=Invoice.Billing.choices, label="Billing")

    class Meta:
        model = Invoice
        fields = ["number", "school", "status", "financial_year", "billing"]


class LedgerFilter(django_filters.FilterSet):
    financial_year = django_filters.CharFilter(
        label="Financial year", help_text="For example, 2026-27"
    )
    side = django_filters.ChoiceFilter(choices=LedgerEntry.Side.choices)
    entry_type = django_filters.ChoiceFilter(choices=LedgerEntry.EntryType.choices, label="Type")
    description = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = LedgerEntry
        fields = ["financial_year", "side", "entry_type", "description"]
