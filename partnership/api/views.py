"""The endpoints: read-only, paginated, each naming its roles and reading through the
selectors the pages use, so a headteacher's token sees only their school's records."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from finance import selectors as finance_selectors
from finance.filters import InvoiceFilter
from membership import selectors as membership_selectors
from membership.models import Membership
from partnership.calendars import FinancialYear
from partnership.roles import Role
from schools import selectors as school_selectors
from schools.permissions import for_schools_of

from . import serializers

# As the pages: the register and memberships for staff and a school's own headteacher;
# invoices for finance and the school; the trading account for finance alone.
SCHOOL_READERS = (Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE)
INVOICE_READERS = (Role.HEADTEACHER, Role.FINANCE)
ACCOUNT_READERS = (Role.FINANCE,)


class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """The register: every school for staff, a headteacher's own school for them."""

    allowed_roles = SCHOOL_READERS
    serializer_class = serializers.SchoolSerializer
    lookup_field = "urn"

    def get_queryset(self):
        census = school_selectors.latest_census_date()
        return school_selectors.school_register(self.request.user, census).order_by("name", "urn")


class MembershipFilter(django_filters.FilterSet):
    academic_year = django_filters.CharFilter(
        field_name="year__academic_year", help_text="For example, 2026/27"
    )
    status = django_filters.ChoiceFilter(choices=Membership.Status.choices)
    school_urn = django_filters.CharFilter(field_name="school__urn")

    class Meta:
        model = Membership
        fields = ["academic_year", "status", "school_urn"]


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    allowed_roles = SCHOOL_READERS
    serializer_class = serializers.MembershipSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MembershipFilter

    def get_queryset(self):
        memberships = membership_selectors.memberships_for_list()
        return for_schools_of(self.request.user, memberships).order_by(
            "-year__academic_year", "school__name", "pk"
        )


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Invoices with what was credited and paid, the balance and the status, by number."""

    allowed_roles = INVOICE_READERS
    serializer_class = serializers.InvoiceSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = InvoiceFilter
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return (
            finance_selectors.invoices_for(self.request.user)
            .prefetch_related("lines")
            .order_by("-issue_date", "-number")
        )


class TradingAccountView(APIView):
    """The trading account of one financial year (?financial_year=2026-27, default this one)."""

    allowed_roles = ACCOUNT_READERS

    def get(self, request):
        text = request.query_params.get("financial_year") or (
            finance_selectors.default_financial_year()
        )
        try:
            year = str(FinancialYear.parse(text))
        except ValueError as exc:
            raise ValidationError(
                {"financial_year": [f"Not a financial year: {text!r}. Use the form 2026-27."]}
            ) from exc
        account = finance_selectors.trading_account(year)
        return Response(serializers.trading_account(account))
