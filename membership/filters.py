import django_filters

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
