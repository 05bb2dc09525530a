"""Filters for the bookings and deployments lists."""

import django_filters
from django.db.models import Q

from .models import Booking, CommissionedPackage, Deployment, Offer, Practitioner


class BookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices, empty_label="Any status")
    offer = django_filters.ModelChoiceFilter(
        queryset=Offer.objects.order_by("name"), empty_label="Any support", label="Support"
    )
    academic_year = django_filters.CharFilter(label="Academic year", lookup_expr="exact")
    school = django_filters.CharFilter(label="School name or URN", method="filter_school")

    class Meta:
        model = Booking
        fields = ["status", "offer", "academic_year", "school"]

    def filter_school(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(school__name__icontains=value) | Q(school__urn=value))


class DeploymentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Deployment.Status.choices, empty_label="Any status"
    )
    practitioner = django_filters.ModelChoiceFilter(
        queryset=Practitioner.objects.order_by("name"), empty_label="Any practitioner"
    )
    academic_year = django_filters.CharFilter(label="Academic year", lookup_expr="exact")

    class Meta:
        model = Deployment
        fields = ["status", "practitioner", "academic_year"]


class MyDeploymentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Deployment.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = Deployment
        fields = ["status"]


class PackageFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CommissionedPackage.Status.choices, empty_label="Any status"
    )
    academic_year = django_filters.CharFilter(label="Academic year", lookup_expr="exact")

    class Meta:
        model = CommissionedPackage
        fields = ["status", "academic_year"]
