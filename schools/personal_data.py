"""What the register holds about a person: the schools they act for, and a school whose
headteacher GIAS names as them (partnership.personal_data)."""

from django.db.models import Q

from .models import AccessRequest, School, SchoolContact


def contacts_of(subject):
    """The school contacts that are this person: their account's, and contacts recorded
    without an account (a chair of governors often has none) by the email address the
    account has, or for someone without an account by their name or email address."""
    without_account = Q(user__isnull=True)
    if subject.user is not None:
        found = Q(user=subject.user)
        if subject.email.strip():
            found |= without_account & Q(email__iexact=subject.email.strip())
        return SchoolContact.objects.filter(found)
    return SchoolContact.objects.filter(without_account & subject.named("name", "email"))


_contacts = contacts_of


def _access_requests(subject):
    found = Q(pk__in=[])
    if subject.email.strip():
        found |= Q(email__iexact=subject.email.strip())
    first, _, last = subject.name.strip().rpartition(" ")
    if first and last:
        found |= Q(first_name__iexact=first.strip(), last_name__iexact=last.strip())
    return AccessRequest.objects.filter(found)


def _headed(subject):
    first, _, last = subject.name.strip().rpartition(" ")
    if not (first and last):
        return School.objects.none()
    return School.objects.filter(
        Q(head_first_name__iexact=first.strip()) & Q(head_last_name__iexact=last.strip())
    )


def held(subject):
    from partnership.personal_data import Section

    contacts = [
        {
            "school": c.school.name,
            "URN": c.school.urn,
            "name": c.full_name,
            "email address": c.email_address,
            "portal account": bool(c.user_id),
            "role": c.get_role_display(),
            "position": c.position,
            "duties": ", ".join(c.duties()),
            "left on": c.left_on,
        }
        for c in _contacts(subject).select_related("school", "user").order_by("school__name", "pk")
    ]
    headed = [
        {"school": s.name, "URN": s.urn, "headteacher": f"{s.head_first_name} {s.head_last_name}"}
        for s in _headed(subject).order_by("name")
    ]
    requests = [
        {
            "first name": r.first_name,
            "last name": r.last_name,
            "work email address": r.email,
            "school": r.school.name,
            "role at the school": r.other_role or r.get_role_at_school_display(),
            "requested": r.requested_at,
            "status": r.get_status_display(),
            "decided": r.decided_at,
        }
        for r in _access_requests(subject).select_related("school").order_by("requested_at")
    ]
    return [
        Section(
            "Requests for an account",
            requests,
            "Deleted, with their history (as the retention rule would a year after)",
        ),
        Section(
            "Schools they act or acted for",
            contacts,
            "They stop acting for the school; a contact without an account keeps its role "
            "and dates with the name and email address removed, as after the retention period",
        ),
        Section(
            "Schools whose headteacher GIAS names as them",
            headed,
            "Kept: the public register of schools, replaced at each GIAS import",
        ),
    ]


def refusals(subject, today):
    return []


def erase(subject) -> int:
    from .services import erase_contact_without_account

    contacts = list(_contacts(subject))
    for contact in contacts:
        if contact.user_id:
            contact.delete()  # one by one, so the history records each
        else:
            # Deleting would write a history row holding the name: anonymise instead.
            erase_contact_without_account(contact)
    # A request for an account holds nothing but the person: it goes with its history
    # rows, which copy their name and email (as schools.services_access's retention does).
    ids = list(_access_requests(subject).values_list("pk", flat=True))
    AccessRequest.objects.filter(pk__in=ids).delete()
    AccessRequest.history.filter(id__in=ids).delete()
    return len(contacts) + len(ids)
