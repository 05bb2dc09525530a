"""What membership holds about a person: the agreements they signed and the expressions
of interest they sent, for their school (partnership.personal_data). Nothing here is
erased: each names the school, and the account that signed stays as an anonymised pointer.
"""

from .models import ExpressionOfInterest, Membership

# A school with a membership signed and not ended needs someone to act for it.
MEMBER_STATUSES = (Membership.Status.PENDING, Membership.Status.ACTIVE)


def held(subject):
    from partnership.personal_data import Section

    if subject.user is None:
        return []
    signed = [
        {
            "school": m.school.name,
            "year": m.year.academic_year,
            "signed": m.signed_at,
            "status": m.get_status_display(),
        }
        for m in Membership.objects.filter(signed_by=subject.user)
        .select_related("school", "year")
        .order_by("signed_at")
    ]
    interest = [
        {
            "school": e.school.name,
            "year": e.year.academic_year,
            "intent": e.get_intent_display(),
            "notes": e.notes,
            "sent": e.submitted_at,
        }
        for e in ExpressionOfInterest.objects.filter(submitted_by=subject.user)
        .select_related("school", "year")
        .order_by("submitted_at")
    ]
    kept = "Kept: they are the school's, naming the anonymised account"
    return [
        Section("Membership agreements they signed", signed, kept),
        Section("Expressions of interest they sent", interest, kept),
    ]


def refusals(subject, today):
    """A member school must keep someone who acts for it (signs, books, reads invoices):
    the person cannot be erased while they are its only current contact. Contacts who have
    left (`left_on`) act for nobody, so they neither count as another contact nor, once
    left themselves, hold the school back."""
    from django.db.models import Count, Q

    from schools.models import School
    from schools.personal_data import contacts_of

    theirs = contacts_of(subject).filter(left_on__isnull=True).values("school")
    alone = (
        School.objects.filter(pk__in=theirs)
        .annotate(
            current=Count("contacts", filter=Q(contacts__left_on__isnull=True), distinct=True)
        )
        .filter(current=1)
        .filter(pk__in=Membership.objects.filter(status__in=MEMBER_STATUSES).values("school"))
        .order_by("name")
    )
    return [
        f"They are the only contact for {school.name}, a member school: "
        "add another contact for the school first"
        for school in alone
    ]


def erase(subject) -> int:
    return 0
