"""How schools and who acts for them appear in an audit trail (see partnership.history)."""

from django.urls import reverse

from partnership.history import Audited, person

from .models import AccessRequest, School, SchoolContact

SCHOOL = Audited(
    key="school",
    label="School",
    model=School,
    name=lambda school: f"{school.name} ({school.urn})",
    search=("name", "urn"),
    url=lambda school: reverse("schools:detail", args=[school.urn]),
)


def _school_name(school):
    return school.name if school is not None else "a removed school"


def _school_page(school):
    return reverse("schools:detail", args=[school.urn]) if school is not None else None


def _contact_name(contact):
    """A contact as the trail names them: their account, or the name recorded without one."""
    if contact.user_id or not contact.name:
        return person(contact.user)
    return contact.name


SCHOOL_CONTACT = Audited(
    key="school_contact",
    label="School contact",
    model=SchoolContact,
    name=lambda contact: f"{_contact_name(contact)} for {_school_name(contact.school)}",
    search=(
        "name",
        "user__first_name",
        "user__last_name",
        "user__email",
        "school__name",
        "school__urn",
    ),
    url=lambda contact: _school_page(contact.school),
    labels={"user": "Person", "left_on": "Left on"},
    created=lambda contact: (
        f"Acts for the school as {contact.position or contact.get_role_display()}"
    ),
)

ACCESS_REQUEST = Audited(
    key="access_request",
    label="Request for access",
    model=AccessRequest,
    name=lambda row: (
        f"Request for access from {row.first_name} {row.last_name} for {_school_name(row.school)}"
    ),
    search=("first_name", "last_name", "email", "school__name", "school__urn"),
    url=lambda row: reverse("schools:access_request", args=[row.id]),
    labels={"decided_by": "Decided by", "user": "Account made"},
    created=lambda row: "Asked for an account",
)

AUDITED = (SCHOOL, SCHOOL_CONTACT, ACCESS_REQUEST)
