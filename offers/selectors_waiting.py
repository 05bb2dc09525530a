"""Reads for waiting lists: every list with someone on it, and one list in full with its
places, the places held for schools, the schools waiting in order and what happened."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from .models import Booking, CourseSession, Offer, WaitingListEvent
from .services_bookings import capacity_taken, places_taken

ZERO = Decimal("0")
ON_LIST = (Booking.Status.WAITING, Booking.Status.OFFERED)


@dataclass
class WaitingListSummary:
    offer: Offer
    session: CourseSession | None
    academic_year: str
    waiting: int
    offered: int


def waiting_lists(academic_year: str) -> list[WaitingListSummary]:
    """Each offer (or CPD session) of the year with schools waiting or a place held: 3 queries."""
    rows = list(
        Booking.objects.filter(academic_year=academic_year, status__in=ON_LIST)
        .values("offer", "session")
        .annotate(
            waiting=Count("pk", filter=Q(status=Booking.Status.WAITING)),
            offered=Count("pk", filter=Q(status=Booking.Status.OFFERED)),
        )
        .order_by()
    )
    offers = Offer.objects.in_bulk({row["offer"] for row in rows})
    sessions = CourseSession.objects.in_bulk({row["session"] for row in rows if row["session"]})
    found = [
        WaitingListSummary(
            offer=offers[row["offer"]],
            session=sessions.get(row["session"]),
            academic_year=academic_year,
            waiting=row["waiting"],
            offered=row["offered"],
        )
        for row in rows
    ]
    return sorted(
        found,
        key=lambda s: (
            s.offer.name,
            s.session.date if s.session else date.min,
            s.session.pk if s.session else 0,
        ),
    )


@dataclass
class WaitingList:
    offer: Offer
    session: CourseSession | None
    academic_year: str
    capacity: int | None
    taken: Decimal  # booked and held for schools offered a place
    offered: list
    waiting: list
    events: list

    @property
    def left(self) -> Decimal | None:
        if self.capacity is None:
            return None
        return max(Decimal(self.capacity) - self.taken, ZERO)

    @property
    def offered_units(self) -> Decimal:
        return sum((booking.units for booking in self.offered), ZERO)

    @property
    def name(self) -> str:
        return self.session.name if self.session else self.offer.name


def waiting_list(*, offer, academic_year, session=None) -> WaitingList:
    """One list in full, in a fixed number of queries however long it is."""
    on_list = (
        Booking.objects.filter(
            offer=offer, academic_year=academic_year, session=session, status__in=ON_LIST
        )
        .select_related("school", "booked_by")
        .order_by("waiting_position", "offer_expires_at", "created", "pk")
    )
    events = (
        WaitingListEvent.objects.filter(offer=offer, academic_year=academic_year, session=session)
        .select_related("booking__school", "by")
        .order_by("-at", "-pk")
    )
    if session is not None:
        capacity, taken = session.places, places_taken(session)
    else:
        capacity, taken = offer.capacity, capacity_taken(offer, academic_year)
    on_list = list(on_list)
    return WaitingList(
        offer=offer,
        session=session,
        academic_year=academic_year,
        capacity=capacity,
        taken=taken,
        offered=[b for b in on_list if b.status == Booking.Status.OFFERED],
        waiting=[b for b in on_list if b.status == Booking.Status.WAITING],
        events=list(events),
    )


def place_offers_for(schools):
    """Places held for these schools now, soonest to run out first (a head's dashboard)."""
    return (
        Booking.objects.filter(school__in=schools, status=Booking.Status.OFFERED)
        .select_related("offer", "session", "school")
        .order_by("offer_expires_at")
    )


def booking_events(booking):
    return list(booking.waiting_events.select_related("by").order_by("at", "pk"))
