"""How offers, their prices, tiers, practitioners, bookings, commissioned packages and
deployments appear in an audit trail (see partnership.history), and a booking's own
history for its page."""

import re

from django.db.models import Q
from django.urls import reverse

from partnership import history
from partnership.history import Audited
from partnership.money import format_money

from .models import (
    Booking,
    CommissionedPackage,
    Deployment,
    Offer,
    OfferPrice,
    Practitioner,
    Tier,
    TierInclusion,
)


def _reference(letter):
    """A typed reference ("B00012", "b12") as a filter on the record's id."""
    pattern = re.compile(rf"{letter}0*(\d+)", re.IGNORECASE)

    def number(text):
        found = pattern.fullmatch(text)
        return Q(id=int(found.group(1))) if found else None

    return number


def _work(deployment):
    if deployment.booking_id:
        return f"B{deployment.booking_id:05d}"
    return f"C{deployment.package_id:05d}"


OFFER = Audited(
    key="offer",
    label="Offer",
    model=Offer,
    name=lambda offer: offer.name,
    search=("name", "code"),
    url=lambda offer: reverse("offers:offer_detail", args=[offer.code]),
)
BOOKING = Audited(
    key="booking",
    label="Booking",
    model=Booking,
    name=lambda booking: f"B{booking.id:05d}: {booking.offer.name}, {booking.school.name}",
    search=("school__name", "offer__name"),
    number=_reference("B"),
    url=lambda booking: reverse("offers:booking_detail", args=[booking.id]),
)
PACKAGE = Audited(
    key="package",
    label="Commissioned package",
    model=CommissionedPackage,
    name=lambda package: f"C{package.id:05d}: {package.offer.name}, {package.school.name}",
    search=("school__name", "offer__name"),
    number=_reference("C"),
)
DEPLOYMENT = Audited(
    key="deployment",
    label="Deployment",
    model=Deployment,
    name=lambda deployment: (
        f"{deployment.practitioner.name}, {deployment.days.normalize():f} days "
        f"({_work(deployment)})"
    ),
    search=("practitioner__name", "booking__school__name", "package__school__name"),
    url=lambda deployment: (
        reverse("offers:booking_detail", args=[deployment.booking_id])
        if deployment.booking_id
        else None
    ),
)


def _offer_page(offer):
    return reverse("offers:offer_detail", args=[offer.code]) if offer is not None else None


def _price_name(price) -> str:
    offer = price.offer.name if price.offer is not None else "A removed offer"
    schools = price.get_category_display() if price.category else "all schools"
    return f"{offer}: {price.get_kind_display().lower()} for {schools.lower()}"


OFFER_PRICE = Audited(
    key="offer_price",
    label="Offer price",
    model=OfferPrice,
    name=_price_name,
    search=("offer__name", "offer__code"),
    url=lambda price: _offer_page(price.offer),
    created=lambda price: format_money(price.amount),
)
TIER = Audited(
    key="tier",
    label="Membership tier",
    model=Tier,
    name=lambda tier: tier.name,
    search=("name", "code"),
)
TIER_INCLUSION = Audited(
    key="tier_inclusion",
    label="What a membership tier includes",
    model=TierInclusion,
    name=lambda inclusion: (
        f"{inclusion.tier.name if inclusion.tier is not None else 'A removed tier'}: "
        f"{inclusion.offer.name if inclusion.offer is not None else 'a removed offer'}"
    ),
    search=("tier__name", "offer__name"),
    labels={"units": "Units included"},
    created=lambda inclusion: f"{inclusion.units.normalize():f} included",
)
PRACTITIONER = Audited(
    key="practitioner",
    label="Practitioner",
    model=Practitioner,
    name=lambda practitioner: f"{practitioner.name} ({practitioner.designation})",
    search=("name", "email"),
    labels={"user": "Portal account", "active": "Available for deployment"},
    formats={"day_cost": format_money},
    created=lambda practitioner: (
        f"{practitioner.get_designation_display()}, {format_money(practitioner.day_cost)} a day"
    ),
)

AUDITED = (
    OFFER,
    OFFER_PRICE,
    TIER,
    TIER_INCLUSION,
    PRACTITIONER,
    BOOKING,
    PACKAGE,
    DEPLOYMENT,
)


def booking_history(booking) -> list[history.Entry]:
    """Changes to a booking and to the deployments that serve it, newest first."""
    rows = history.union(
        [
            history.history_rows(BOOKING, where=Q(id=booking.pk)),
            history.history_rows(DEPLOYMENT, where=Q(booking_id=booking.pk)),
        ]
    )
    return history.entries(rows, {BOOKING.key: BOOKING, DEPLOYMENT.key: DEPLOYMENT})
