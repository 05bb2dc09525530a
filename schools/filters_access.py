import django_filters
from django.db.models import Q

from .models import AccessRequest


class AccessRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, email or school")
    status = django_filters.ChoiceFilter(
        choices=AccessRequest.Status.choices, empty_label="Any status"
    )
    role_at_school = django_filters.ChoiceFilter(
        label="Role at the school",
        choices=AccessRequest.RoleAtSchool.choices,
        empty_label="Any role",
    )

    class Meta:
        model = AccessRequest
        fields = ["q", "status", "role_at_school"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
            | Q(school__name__icontains=value)
            | Q(school__urn=value)
        )
