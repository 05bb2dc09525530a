"""Filters for the catalogue and the coordinator's lists."""

import django_filters
from django import forms
from django.db.models import Q

from schools.rules import Category

from .models import Offer, Practitioner, Provider, Tier
from .rules import CATEGORY_ORDER
from .selectors_catalogue import offered_to_category

CATEGORY_CHOICES = [(c.value, Category(c).label) for c in CATEGORY_ORDER]


def _search(fields):
    def method(queryset, name, value):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)

    return method


class CatalogueFilter(django_filters.FilterSet):
    strand = django_filters.ChoiceFilter(
        choices=Offer.Strand.choices, empty_label="Core and additional", label="Strand"
    )
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.order_by("name"), empty_label="Any provider", label="Provider"
    )
    category = django_filters.ChoiceFilter(
        choices=CATEGORY_CHOICES,
        empty_label="Any phase",
        label="Phase or category",
        method="filter_category",
    )

    class Meta:
        model = Offer
        fields = ["strand", "provider", "category"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(offered_to_category(value))


class OfferAdminFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Code or name", method="search")
    strand = django_filters.ChoiceFilter(choices=Offer.Strand.choices, empty_label="Any strand")
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.order_by("name"), empty_label="Any provider"
    )
    active = django_filters.BooleanFilter(
        label="In the catalogue",
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Offer
        fields = ["q", "strand", "provider", "active"]

    def search(self, queryset, name, value):
        return _search(("code", "name"))(queryset, name, value)


class ProviderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Code or name", method="search")

    class Meta:
        model = Provider
        fields = ["q"]

    def search(self, queryset, name, value):
        return _search(("code", "name"))(queryset, name, value)


class PractitionerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or email", method="search")
    designation = django_filters.ChoiceFilter(
        choices=Practitioner.Designation.choices, empty_label="Any designation"
    )
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.order_by("name"), empty_label="Any provider"
    )
    active = django_filters.BooleanFilter(
        label="Available",
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Practitioner
        fields = ["q", "designation", "provider", "active"]

    def search(self, queryset, name, value):
        return _search(("name", "email"))(queryset, name, value)


class TierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Code or name", method="search")

    class Meta:
        model = Tier
        fields = ["q"]

    def search(self, queryset, name, value):
        return _search(("code", "name"))(queryset, name, value)
