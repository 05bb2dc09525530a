"""Reads of bookings and deployments for pages; each in a constant number of queries."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from partnership.roles import Role
from schools.permissions import for_schools_of

from .models import (
    Booking,
    CommissionedPackage,
    CourseSession,
    Deployment,
    DeploymentDay,
    Offer,
    Practitioner,
)

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
ZERO = Decimal("0")


def bookings_for(user):
    """Bookings this person may see: a headteacher their schools', staff every school's,
    each with `support_date` (the date of the support, see with_support_date)."""
    return with_support_date(
        for_schools_of(user, Booking.objects.all()).select_related("school", "offer", "session")
    )


def with_support_date(bookings):
    """Annotate `support_date`: the day the support happens, not the day it was booked. The
    first active deployment day, else the CPD session's date, else the day it was delivered,
    else the preferred first date; none while nothing is arranged. One subquery, in SQL, so a
    list can sort by it and its queries do not grow with its rows."""
    first_day = (
        DeploymentDay.objects.filter(deployment__booking=OuterRef("pk"), active=True)
        .order_by("date")
        .values("date")[:1]
    )
    return bookings.annotate(
        support_date=Coalesce(
            Subquery(first_day), "session__date", "delivered_on", "preferred_start"
        )
    )


def booking_with_details(pk):
    return (
        Booking.objects.select_related(
            "school",
            "offer",
            "offer__provider",
            "session",
            "booked_by",
            "confirmed_by",
            "cancelled_by",
            "offer__cancellation_policy",
        )
        .prefetch_related(
            "delegates",
            Prefetch(
                "deployments",
                queryset=Deployment.objects.select_related("practitioner").prefetch_related(
                    "dates"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def bookable_offers(school):
    """Additional offers a school may book: active, priced, and meant for its category."""
    offers = Offer.objects.filter(active=True, strand=Offer.Strand.ADDITIONAL).exclude(
        unit=Offer.Unit.PLACE, sessions__isnull=False
    )
    if school is not None and school.category:
        offers = offers.filter(Q(phases=[]) | Q(phases__icontains=f'"{school.category}"'))
    return offers.distinct().order_by("name")


def upcoming_sessions(today: date):
    """CPD sessions from today, with places taken (one query)."""
    return (
        CourseSession.objects.filter(date__gte=today, offer__active=True)
        .select_related("offer")
        .annotate(
            taken=Sum("bookings__units", filter=Q(bookings__status__in=Booking.HOLDING)),
            waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
        )
        .order_by("date", "start_time")
    )


@dataclass
class OfferDemand:
    offer: Offer
    requested: Decimal
    confirmed: Decimal
    waiting: Decimal
    delivered: Decimal
    commissioned: Decimal
    waiting_list: list

    @property
    def taken(self):
        return self.requested + self.confirmed + self.delivered + self.commissioned

    @property
    def left(self):
        if self.offer.capacity is None:
            return None
        return max(Decimal(self.offer.capacity) - self.taken, ZERO)


def demand(academic_year: str) -> list[OfferDemand]:
    """Units by status for each offer booked this year, with its waiting list in order."""

    # Summed from the year's bookings (indexed by year), not over every booking ever made.
    units = {
        (row["offer"], row["status"]): row["units"]
        for row in Booking.objects.filter(academic_year=academic_year)
        .values("offer", "status")
        .annotate(units=Sum("units"))
        .order_by()
    }
    offers = Offer.objects.filter(
        Q(pk__in=Booking.objects.filter(academic_year=academic_year).values("offer"))
        | Q(pk__in=CommissionedPackage.objects.filter(academic_year=academic_year).values("offer"))
    ).order_by("name")
    commissioned = dict(
        CommissionedPackage.objects.filter(academic_year=academic_year)
        .exclude(status=CommissionedPackage.Status.CANCELLED)
        .values_list("offer")
        .annotate(units=Sum("units"))
        .order_by()
    )
    waiting = {}
    for booking in (
        Booking.objects.filter(academic_year=academic_year, status=Booking.Status.WAITING)
        .select_related("school", "session")
        .order_by("offer", "session", "waiting_position")
    ):
        waiting.setdefault(booking.offer_id, []).append(booking)
    return [
        OfferDemand(
            offer=offer,
            requested=units.get((offer.pk, Booking.Status.REQUESTED)) or ZERO,
            confirmed=units.get((offer.pk, Booking.Status.CONFIRMED)) or ZERO,
            waiting=units.get((offer.pk, Booking.Status.WAITING)) or ZERO,
            delivered=units.get((offer.pk, Booking.Status.DELIVERED)) or ZERO,
            commissioned=commissioned.get(offer.pk) or ZERO,
            waiting_list=waiting.get(offer.pk, []),
        )
        for offer in offers
    ]


def deployments_list():
    return Deployment.objects.select_related(
        "practitioner", "booking__school", "booking__offer", "package__school", "package__offer"
    ).prefetch_related(Prefetch("dates", queryset=DeploymentDay.objects.order_by("date")))


def deployments_for(user):
    """A practitioner's own deployments; the coordinator's view of all of them."""
    deployments = deployments_list()
    if user.role == Role.COORDINATOR:
        return deployments
    if user.role == Role.PRACTITIONER:
        return deployments.filter(practitioner__user=user)
    return deployments.none()


def packages_list():
    return CommissionedPackage.objects.select_related(
        "school", "offer", "commissioned_by"
    ).annotate(
        days_deployed=Sum(
            "deployments__days", filter=~Q(deployments__status=Deployment.Status.CANCELLED)
        )
    )


def upcoming_days(user, today: date, limit=10):
    """The practitioner's next deployed days, soonest first."""
    return list(
        DeploymentDay.objects.filter(
            deployment__practitioner__user=user,
            active=True,
            date__gte=today,
            deployment__status=Deployment.Status.PLANNED,
        )
        .select_related(
            "deployment__booking__school",
            "deployment__booking__offer",
            "deployment__package__school",
            "deployment__package__offer",
        )
        .order_by("date")[:limit]
    )


def parse_week(text: str | None, today: date) -> date:
    """The Monday of an ISO week written 2026-W47; this week's Monday when absent or invalid."""
    match = WEEK_RE.match(text or "")
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class CalendarRow:
    practitioner: Practitioner
    cells: list  # one list of DeploymentDay per weekday, Monday first


def deployment_calendar(monday: date) -> tuple[list[date], list[CalendarRow]]:
    """Monday to Friday × active practitioners (and anyone deployed that week): 2 queries."""
    weekdays = [monday + timedelta(days=offset) for offset in range(5)]
    days = list(
        DeploymentDay.objects.filter(active=True, date__range=(weekdays[0], weekdays[-1]))
        .select_related(
            "deployment",
            "deployment__booking__school",
            "deployment__booking__offer",
            "deployment__package__school",
            "deployment__package__offer",
        )
        .order_by("date")
    )
    deployed = {day.practitioner_id for day in days}
    practitioners = Practitioner.objects.filter(Q(active=True) | Q(pk__in=deployed)).order_by(
        "name"
    )
    by_cell = {}
    for day in days:
        by_cell.setdefault((day.practitioner_id, day.date), []).append(day)
    rows = [
        CalendarRow(
            practitioner=practitioner,
            cells=[by_cell.get((practitioner.pk, weekday), []) for weekday in weekdays],
        )
        for practitioner in practitioners
    ]
    return weekdays, rows


def practitioner_days_summary(academic_year: str):
    """Each practitioner's days available, deployed (not cancelled) and left this year."""
    return (
        Practitioner.objects.filter(active=True)
        .annotate(
            deployed=Sum(
                "deployments__days",
                filter=Q(deployments__academic_year=academic_year)
                & ~Q(deployments__status=Deployment.Status.CANCELLED),
            )
        )
        .order_by("name")
    )
