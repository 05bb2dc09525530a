import django_filters
from django.db.models import F, Q

from offers.models import Tier
from schools.rules import Category

from .models import ExpressionOfInterest, Membership, MembershipYear


class MembershipFilter(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
        queryset=MembershipYear.objects.all(),
        to_field_name="academic_year",
        label="Year",
        empty_label="All years",
    )
    status = django_filters.ChoiceFilter(
        choices=Membership.Status.choices, empty_label="Any status"
    )
    tier = django_filters.ModelChoiceFilter(
        queryset=Tier.objects.all(), to_field_name="code", empty_label="Any tier"
    )
    category = django_filters.ChoiceFilter(
        field_name="school__category",
        choices=Category.choices,
        label="Category",
        empty_label="Any category",
    )
    school = django_filters.CharFilter(
        field_name="school__name", lookup_expr="icontains", label="School name contains"
    )

    class Meta:
        model = Membership
        fields = ["year", "status", "tier", "category", "school"]


class ExpressionOfInterestFilter(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
        queryset=MembershipYear.objects.all(),
        to_field_name="academic_year",
        label="Year",
        empty_label="All years",
    )
    intent = django_filters.ChoiceFilter(
        choices=ExpressionOfInterest.Intent.choices, empty_label="Any intent"
    )

    class Meta:
        model = ExpressionOfInterest
        fields = ["year", "intent"]


class RenewalFilter(django_filters.FilterSet):
    """Renewals by what each school has said, for the coordinator chasing answers."""

    RESPONSES = (
        ("none", "No response"),
        ("renewing", "Renewing"),
        ("changing", "Changing membership"),
        ("leaving", "Leaving"),
    )

    year = django_filters.ModelChoiceFilter(
        queryset=MembershipYear.objects.all(),
        to_field_name="academic_year",
        label="Year",
        empty_label="All years",
    )
    response = django_filters.ChoiceFilter(
        choices=RESPONSES, method="by_response", label="Response", empty_label="Any response"
    )
    school = django_filters.CharFilter(
        field_name="school__name", lookup_expr="icontains", label="School name contains"
    )

    class Meta:
        model = Membership
        fields = ["year", "response", "school"]

    def by_response(self, queryset, name, value):
        signed = queryset.filter(status__in=(Membership.Status.PENDING, Membership.Status.ACTIVE))
        same_tier = Q(tier_id=F("renewal_of__tier_id"))
        return {
            "none": queryset.filter(status=Membership.Status.INTERESTED),
            "renewing": signed.filter(same_tier),
            "changing": signed.exclude(same_tier),
            "leaving": queryset.filter(status=Membership.Status.WITHDRAWN),
        }.get(value, queryset)
