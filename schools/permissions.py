"""Which schools a person may see and act for.

Coordinators and finance officers see every school. A school user sees only the
schools they are a current contact for (one marked as left no longer acts for it).
Everyone else sees none. Views use these, never only hidden links.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partnership.roles import Role

from .models import School

ALL_SCHOOLS_ROLES = (Role.COORDINATOR, Role.FINANCE)


def schools_for(user):
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    if user.role in ALL_SCHOOLS_ROLES:
        return School.objects.all()
    if user.role == Role.HEADTEACHER:
        return School.objects.filter(contacts__user=user, contacts__left_on__isnull=True)
    return School.objects.none()


def for_schools_of(user, queryset, field="school"):
    """Narrow a queryset of school records to the schools this person may see.

    Partnership-wide roles see every school's records, so their queries carry no
    "school in (every school)" filter for the database to work through.
    """
    if user.is_authenticated and user.is_active and user.role in ALL_SCHOOLS_ROLES:
        return queryset
    return queryset.filter(**{f"{field}__in": schools_for(user)})


def can_act_for(user, school) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in ALL_SCHOOLS_ROLES:
        return True
    return user.role == Role.HEADTEACHER and school.contacts.current().filter(user=user).exists()


def get_school_or_403(user, **lookup):
    """The school, if this person may see it; 404 when it does not exist, 403 when not theirs."""
    school = get_object_or_404(School, **lookup)
    if not can_act_for(user, school):
        raise PermissionDenied
    return school


def own_school(user):
    """The school a headteacher acts for (the first, if several), or None."""
    if user.is_authenticated and user.role == Role.HEADTEACHER:
        return (
            School.objects.filter(contacts__user=user, contacts__left_on__isnull=True)
            .order_by("name")
            .first()
        )
    return None
