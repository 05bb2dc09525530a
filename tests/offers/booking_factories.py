"""Booking and deployment test data, and fixtures shared by the booking tests.

Offers are created directly (not through the catalogue services) so these tests only
depend on the catalogue's models.
"""

from datetime import date, time
from decimal import Decimal

import pytest

from offers.membership_port import register_tier_lookup
from offers.models import (
    CourseSession,
    Offer,
    OfferCancellationPolicy,
    OfferPrice,
    Practitioner,
    Provider,
    Tier,
    TierInclusion,
)

YEAR = "2026/27"
# The fixtures, for `from .booking_factories import *` in the booking tests.
__all__ = [
    "cpd_course",
    "cpd_session",
    "lle_days",
    "members",
    "peer_review",
    "rita",
    "sam",
    "standard_tier",
]


def make_provider(code="hash", name="HASH / Primary Forum"):
    return Provider.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_offer(
    code,
    *,
    name,
    unit="review",
    capacity=None,
    member=None,
    non_member=None,
    policy=None,
    strand="additional",
    phases=None,
):
    offer = Offer.objects.create(
        code=code,
        name=name,
        strand=strand,
        provider=make_provider(),
        unit=unit,
        capacity=capacity,
        phases=phases or [],
    )
    for kind, prices in (("member", member or {}), ("non_member", non_member or {})):
        for category, amount in prices.items():
            OfferPrice.objects.create(
                offer=offer, kind=kind, category=category, amount=Decimal(amount)
            )
    if policy is not None:
        days, percent = policy
        OfferCancellationPolicy.objects.create(
            offer=offer, free_until_days=days, charge_percent=Decimal(percent)
        )
    return offer


def book_schools(offer, count, units="1"):
    """`count` new schools each booking `units` of the offer this year, in turn (beyond its
    capacity they wait); their names are "Waiting School 0", 1, ..."""
    from offers import services_bookings as services
    from tests.factories import SchoolFactory, school_user

    for n in range(count):
        school = SchoolFactory(name=f"Waiting School {n}")
        services.book(
            school=school,
            offer=offer,
            units=Decimal(units),
            by=school_user(school),
            academic_year=YEAR,
        )


def make_practitioner(name, *, user=None, day_cost="450.00", days_available="10"):
    return Practitioner.objects.create(
        name=name,
        designation=Practitioner.Designation.SLE,
        provider=make_provider(),
        user=user,
        day_cost=Decimal(day_cost),
        days_available=Decimal(days_available),
    )


@pytest.fixture
def peer_review(db):
    """2 reviews a year; primary: members £1,000, others £1,200; free until 14 days, then 50%."""
    return make_offer(
        "peer-review",
        name="Peer review",
        unit="review",
        capacity=2,
        member={"primary": "1000", "secondary": "1600"},
        non_member={"primary": "1200", "secondary": "1900"},
        policy=(14, "50"),
    )


@pytest.fixture
def lle_days(db):
    """Extra LLE support by the day, unlimited, members only: £500 a day."""
    return make_offer("lle-support", name="Extra LLE support", unit="day", member={"": "500"})


@pytest.fixture
def cpd_course(db):
    return make_offer(
        "phonics-cpd",
        name="Phonics leadership CPD",
        unit="place",
        member={"": "90"},
        non_member={"": "120"},
        policy=(7, "100"),
    )


@pytest.fixture
def cpd_session(cpd_course):
    return CourseSession.objects.create(
        offer=cpd_course,
        date=date(2027, 2, 3),
        start_time=time(9, 30),
        venue="Civic Centre, Uxbridge",
        places=2,
    )


@pytest.fixture
def standard_tier(peer_review, lle_days):
    """Standard membership includes one peer review and two LLE days."""
    tier = Tier.objects.create(code="standard", name="Standard membership", order=1)
    TierInclusion.objects.create(tier=tier, offer=peer_review, units=Decimal("1"))
    TierInclusion.objects.create(tier=tier, offer=lle_days, units=Decimal("2"))
    return tier


@pytest.fixture
def members():
    """{school pk: tier}: the membership lookup the tests control (restored afterwards)."""
    import offers.membership_port as port

    previous = port._tier_lookup
    held = {}
    register_tier_lookup(lambda school, year: held.get(school.pk) if year == YEAR else None)
    yield held
    register_tier_lookup(previous)


@pytest.fixture
def sam(practitioner_user):
    """The practitioner who signs in as practitioner_user: £450 a day, 10 days a year."""
    return make_practitioner("Sam Lee", user=practitioner_user)


@pytest.fixture
def rita(db):
    return make_practitioner("Rita Patel", day_cost="500.00", days_available="5")
