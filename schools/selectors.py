"""Reads of the register for pages, panels and other apps."""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Count, Max, Q, Value
from django.db.models.fields import DateField, IntegerField
from django.db.models.functions import Upper

from .models import (
    AccessRequest,
    GiasImport,
    PupilCount,
    School,
    SchoolContact,
    gias_import_progress_key,
)
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
    """What the school's page shows besides the record: counts by census, contacts by role
    and the people who have left (two queries, whatever the number of contacts)."""
    contacts = list(school.contacts.select_related("user").order_by("pk"))
    contacts.sort(key=lambda contact: contact.full_name.lower())
    current = [contact for contact in contacts if not contact.has_left]
    return {
        # The school it replaced and the schools that replaced it (a conversion to an
        # academy under a new URN): the history stays on each, linked both ways.
        "predecessor": school.predecessor,
        "successors": list(school.successors.order_by("opened_on", "name")),
        "pupil_counts": list(school.pupil_counts.order_by("-census_date")),
        "contacts": current,
        "contact_groups": group_by_role(current),
        "former_contacts": sorted(
            (contact for contact in contacts if contact.has_left),
            key=lambda contact: contact.left_on,
            reverse=True,
        ),
    }


@dataclass(frozen=True)
class ContactGroup:
    heading: str
    contacts: list


# The groups a school's record shows, in this order: the three posts a partnership writes
# to, then the two duties (a person is listed under each they hold), then everyone else.
CONTACT_GROUPS = (
    ("Headteacher", lambda c: c.role == SchoolContact.Role.HEADTEACHER),
    ("School business manager", lambda c: c.role == SchoolContact.Role.BUSINESS_MANAGER),
    ("Chair of governors", lambda c: c.role == SchoolContact.Role.CHAIR_OF_GOVERNORS),
    ("Finance contact", lambda c: c.is_finance_contact),
    ("CPD lead", lambda c: c.is_cpd_lead),
    ("Other staff", lambda c: c.role == SchoolContact.Role.OTHER),
)


def group_by_role(contacts) -> list[ContactGroup]:
    """Current contacts under each role and duty; "Other staff" only when there are any."""
    groups = []
    for heading, belongs in CONTACT_GROUPS:
        members = [contact for contact in contacts if belongs(contact)]
        if members or heading != "Other staff":
            groups.append(ContactGroup(heading, members))
    return groups


def _reachable(contacts) -> list[str]:
    """The email addresses of these contacts that can be written to: an active account's,
    or the address recorded for someone without one; each once, sorted."""
    return sorted(
        {
            contact.email_address.lower()
            for contact in contacts
            if contact.email_address and (contact.user is None or contact.user.is_active)
        }
    )


def _current_contacts(school):
    return list(school.contacts.current().select_related("user"))


def invoice_recipients(school) -> list[str]:
    """Who a school's invoices go to: its finance contacts; without one, its headteacher;
    without either, everyone who acts for it in the portal (as invoices went before)."""
    contacts = _current_contacts(school)
    for chosen in (
        [c for c in contacts if c.is_finance_contact],
        [c for c in contacts if c.role == SchoolContact.Role.HEADTEACHER],
        [c for c in contacts if c.user is not None],
    ):
        emails = _reachable(chosen)
        if emails:
            return emails
    return []


def school_user_emails(school) -> list[str]:
    """Everyone who acts for the school in the portal (current contacts with an active
    account): who the school's own emails (membership, bookings) are written to."""
    return _reachable(c for c in _current_contacts(school) if c.user is not None)


def cpd_lead_emails(school) -> list[str]:
    """The school's current CPD leads, copied on booking confirmations."""
    return _reachable(c for c in _current_contacts(school) if c.is_cpd_lead)


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


def recent_gias_imports(limit: int = 10):
    """The latest GIAS imports, newest first, with who ran them (one query)."""
    return GiasImport.objects.select_related("imported_by")[:limit]


def gias_import_progress(record: GiasImport) -> dict:
    """How far an import has got: {percent, message}.

    A running import writes its progress to the cache (its database writes are not
    visible until it commits); when the cache is unreachable the page shows the status.
    """
    if record.status == GiasImport.Status.FINISHED:
        return {"percent": 100, "message": "Finished"}
    if record.status == GiasImport.Status.FAILED:
        return {"percent": 100, "message": record.message or "Failed"}
    live = (
        caches["progress"].get(gias_import_progress_key(record.pk))
        if record.status == GiasImport.Status.RUNNING
        else None
    )
    if not live:
        return {"percent": 0, "message": record.message or record.get_status_display()}
    total, done = live["total"], live["done"]
    # Never 100% until the import has committed and recorded its report.
    percent = min(99, done * 100 // total) if total else 0
    return {"percent": percent, "message": live["message"]}


SEARCH_LIMIT = 20


def find_open_schools(search, limit=SEARCH_LIMIT):
    """Open schools matching a `rules.SchoolSearch`, by name, at most `limit` + 1 (so a page
    can say there are more): the URN exactly, postcodes starting with the text, or names
    containing it. One query; each kind is served by an index on PostgreSQL (the URN's
    unique index, and schools 0007's postcode prefix and name trigram indexes)."""
    schools = School.objects.open()
    if search.kind == "urn":
        schools = schools.filter(urn=search.value)
    elif search.kind == "postcode":
        # In postcode order: neighbours together, and PostgreSQL reads the few matches
        # through the postcode index instead of walking every school in name order.
        schools = schools.filter(postcode__istartswith=search.value).order_by(
            Upper("postcode"), "name"
        )
    elif search.kind == "name":
        schools = schools.filter(name__icontains=search.value)
    else:
        return []
    if not schools.query.order_by:
        schools = schools.order_by("name", "urn")
    return list(schools[: limit + 1])


def open_school_by_urn(urn):
    """The open school with this URN, or None."""
    if not urn or not str(urn).isdigit():
        return None
    return School.objects.open().filter(urn=urn).first()


def access_requests():
    """Requests for access for the coordinator's queue, with their school and who decided
    (one query for a page of them)."""
    return AccessRequest.objects.select_related("school", "decided_by")


def pending_access_request_count() -> int:
    return AccessRequest.objects.filter(status=AccessRequest.Status.PENDING).count()
