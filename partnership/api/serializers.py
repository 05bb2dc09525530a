"""What each endpoint returns. Money is a string of pounds with two places, never a float."""

from rest_framework import serializers

from finance.models import Invoice, InvoiceLine
from membership.models import Membership
from partnership.money import csv_money
from schools.models import School


class SchoolSerializer(serializers.ModelSerializer):
    # From the register's selector: the count at the latest census, as the register shows.
    pupils = serializers.IntegerField(allow_null=True, read_only=True)
    pupils_census_date = serializers.DateField(allow_null=True, read_only=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "la_code",
            "la_name",
            "establishment_number",
            "establishment_type",
            "type_group",
            "phase",
            "category",
            "governance",
            "gias_status",
            "status",
            "postcode",
            "causing_concern",
            "concern_since",
            "pupils",
            "pupils_census_date",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    # Who signed or decided is left out: the API reports the partnership, not its people.
    school_urn = serializers.CharField(source="school.urn")
    school_name = serializers.CharField(source="school.name")
    academic_year = serializers.CharField(source="year.academic_year")
    tier = serializers.CharField(source="tier.code", allow_null=True, default=None)
    tier_name = serializers.CharField(source="tier.name", allow_null=True, default=None)

    class Meta:
        model = Membership
        fields = [
            "id",
            "school_urn",
            "school_name",
            "academic_year",
            "tier",
            "tier_name",
            "status",
            "joined_on",
            "fee_amount",
            "fee_basis",
            "fee_pupils",
            "fee_census_date",
            "purchase_order",
            "signed_at",
            "decided_at",
            "renewal_of",
        ]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "quantity",
            "unit_price",
            "vat_rate",
            "net",
            "vat",
            "gross",
            "purchase_order",
            "income_account",
            "recognise_from",
            "recognise_to",
        ]


class InvoiceSerializer(serializers.ModelSerializer):
    # Null on an invoice to the LA (support it commissioned); `bill_to` names the council.
    school_urn = serializers.CharField(source="school.urn", allow_null=True)
    school_name = serializers.CharField(source="school.name", allow_null=True)
    # Annotated by finance.selectors.invoices_with_status, as on the invoice pages.
    credited = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    status = serializers.CharField(read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "number",
            "financial_year",
            "school_urn",
            "school_name",
            "bill_to",
            "billing",
            "purchase_order",
            "issue_date",
            "due_date",
            "net_total",
            "vat_total",
            "gross_total",
            "credited",
            "paid",
            "balance",
            "status",
            "lines",
        ]


def account_row(row) -> dict:
    return {
        "label": row.label,
        "code": row.code,
        "budget": csv_money(row.budget),
        "actual": csv_money(row.actual),
        "forecast": csv_money(row.forecast),
        "variance": csv_money(row.variance),
        "forecast_overridden": row.overridden,
    }


def trading_account(account) -> dict:
    """The trading account as the page shows it: lines, totals, surplus and months."""

    def totals(values):
        return {key: csv_money(amount) for key, amount in values.items()}

    return {
        "financial_year": account.financial_year,
        "income": [account_row(row) for row in account.income],
        "expenditure": [account_row(row) for row in account.expenditure],
        "income_totals": totals(account.income_totals),
        "expenditure_totals": totals(account.expenditure_totals),
        # Surplus (a negative figure is a deficit), as finance.selectors defines it.
        "surplus": totals(account.surplus),
        "months": [
            {
                "month": row["month"].strftime("%Y-%m"),
                **{key: csv_money(value) for key, value in row.items() if key != "month"},
            }
            for row in account.by_month()
        ],
    }
