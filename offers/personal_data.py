"""What the offer and its bookings hold about a person (partnership.personal_data)."""

from django.db.models import Count, Q

from partnership.words import count_of

from .models import Booking, Deployment, Practitioner
from .models.bookings import DelegatePlace
from .services_bookings import REMOVED_DELEGATE_NAME

REMOVED_PRACTITIONER_NAME = "Practitioner (name removed)"


def _delegates(subject):
    if not subject.name.strip():
        return DelegatePlace.objects.none()
    return DelegatePlace.objects.filter(subject.named("delegate_name"))


def _practitioner(subject):
    found = Q(pk__in=[])
    if subject.user is not None:
        found |= Q(user=subject.user)
    if subject.email.strip():
        found |= Q(email__iexact=subject.email.strip())
    return Practitioner.objects.filter(found)


def held(subject):
    from partnership.personal_data import Section

    delegates = [
        {
            "delegate name": place.delegate_name,
            "school": place.booking.school.name,
            "course": place.session.offer.name,
            "session": place.session.date,
        }
        for place in _delegates(subject).select_related("booking__school", "session__offer")
    ]
    sections = [
        Section(
            "Places on courses (by the delegate's name)",
            delegates,
            f'Name replaced by "{REMOVED_DELEGATE_NAME}"; the booking and its charge stay',
        )
    ]
    practitioners = [
        {
            "name": p.name,
            "email address": p.email,
            "designation": p.get_designation_display(),
            "provider": p.provider.name,
            "deployments": p.deployment_count,
        }
        for p in _practitioner(subject)
        .select_related("provider")
        .annotate(deployment_count=Count("deployments"))
    ]
    sections.append(
        Section(
            "Practitioner record",
            practitioners,
            "Name and email replaced; deployments and their days stay",
        )
    )
    if subject.user is not None:
        bookings = [
            {
                "booked": booking.created,
                "school": booking.school.name,
                "offer": booking.offer.name,
                "status": booking.get_status_display(),
            }
            for booking in Booking.objects.filter(booked_by=subject.user)
            .select_related("school", "offer")
            .order_by("created")
        ]
        sections.append(
            Section("Bookings they made", bookings, "Kept, naming the anonymised account")
        )
    return sections


def refusals(subject, today):
    planned = Deployment.objects.filter(
        practitioner__in=_practitioner(subject), status=Deployment.Status.PLANNED
    ).count()
    if planned:
        return [
            f"They are the practitioner on {count_of(planned, 'planned deployment')}: "
            "record them delivered or cancel them first"
        ]
    return []


def erase(subject) -> int:
    changed = _delegates(subject).update(delegate_name=REMOVED_DELEGATE_NAME)
    practitioners = list(_practitioner(subject))
    for practitioner in practitioners:
        practitioner.name = REMOVED_PRACTITIONER_NAME
        practitioner.email = ""
        practitioner.active = False
        practitioner.save()
    if practitioners:
        Practitioner.history.filter(id__in=[p.pk for p in practitioners]).update(
            name=REMOVED_PRACTITIONER_NAME, email=""
        )
    return changed + len(practitioners)
