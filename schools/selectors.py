"""Reads of the register for pages, panels and other apps."""

from django.db.models import Count, Max, Q, Value
from django.db.models.fields import DateField, IntegerField

from .models import PupilCount, School
from .permissions import own_school, schools_for


def latest_census_date():
    """The most recent census date any pupil count is held for, or None."""
    return PupilCount.objects.aggregate(latest=Max("census_date"))["latest"]


def with_latest_pupils(schools, census_date):
    """Annotate `pupils` (and `pupils_census_date`) at the census date, or None without one."""
    if census_date is None:
        return schools.annotate(
            pupils=Value(None, output_field=IntegerField()),
            pupils_census_date=Value(None, output_field=DateField()),
        )
    return schools.with_pupils_at(census_date)


def school_register(user, census_date):
    """The schools this person may list, each with its pupils at the census date."""
    return with_latest_pupils(schools_for(user), census_date)


def school_page(school):
    """What the school's page shows besides the record: counts by census and contacts."""
    return {
        "pupil_counts": list(school.pupil_counts.order_by("-census_date")),
        "contacts": list(school.contacts.select_related("user").order_by("user__last_name")),
    }


def register_counts():
    """How many schools are in the register, open, and causing concern (one query)."""
    return School.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=School.Status.OPEN)),
        causing_concern=Count("pk", filter=Q(causing_concern=True)),
    )


def headteacher_school(user):
    """The headteacher's own school with its latest pupil count, or None."""
    school = own_school(user)
    if school is None:
        return None
    latest = school.pupil_counts.order_by("-census_date").first()
    school.pupils = latest.pupils if latest else None
    school.pupils_census_date = latest.census_date if latest else None
    return school


def distinct_values(field_name):
    """The values a GIAS field takes in the register, for filter choices."""
    return list(
        School.objects.exclude(**{field_name: ""})
        .order_by(field_name)
        .values_list(field_name, flat=True)
        .distinct()
    )
