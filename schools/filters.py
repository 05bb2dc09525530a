import django_filters
from django.db.models import Q

from .models import School
from .rules import Category
from .selectors import distinct_values

CONCERN_CHOICES = (("yes", "Causing concern"), ("no", "Not causing concern"))


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or URN")
    phase = django_filters.ChoiceFilter(empty_label="Any phase")
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    type_group = django_filters.ChoiceFilter(label="Type group", empty_label="Any type group")
    status = django_filters.ChoiceFilter(choices=School.Status.choices, empty_label="Any status")
    causing_concern = django_filters.ChoiceFilter(
        choices=CONCERN_CHOICES, method="concern", label="Causing concern", empty_label="Any"
    )

    class Meta:
        model = School
        fields = ["q", "phase", "category", "type_group", "status", "causing_concern"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Phases and type groups are GIAS's own words: offer those the register holds.
        self.filters["phase"].extra["choices"] = [(v, v) for v in distinct_values("phase")]
        self.filters["type_group"].extra["choices"] = [
            (v, v) for v in distinct_values("type_group")
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(urn=value))

    def concern(self, queryset, name, value):
        return queryset.filter(causing_concern=value == "yes")
