import django_filters

from .models import Action, Meeting, Nomination, Seat, TaskAndFinishGroup


class MeetingFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From (YYYY-MM-DD)"
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="To (YYYY-MM-DD)"
    )

    class Meta:
        model = Meeting
        fields = ["board"]


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, empty_label="Any status")
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", "Overdue only")],
        method="filter_overdue",
        label="Due",
        empty_label="Any date",
    )
    owner = django_filters.CharFilter(lookup_expr="icontains", label="Owner contains")

    class Meta:
        model = Action
        fields = ["status"]

    def filter_overdue(self, queryset, name, value):
        from .models import today

        if value == "yes":
            return queryset.filter(status=Action.Status.OPEN, due_date__lt=today())
        return queryset


class TaskGroupFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label="Name contains")

    class Meta:
        model = TaskAndFinishGroup
        fields = ["priority"]


class NominationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Nomination.Status.choices, empty_label="Any status"
    )

    class Meta:
        model = Nomination
        fields = ["status"]


class VacancyFilter(django_filters.FilterSet):
    class Meta:
        model = Seat
        fields = ["board"]
