"""Reads of the offer catalogue for pages, bookings and reports.

Prices are read through `prices.all()` so a queryset from `catalogue_offers()` (which
prefetches them) prices any number of offers in a constant number of queries.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from partnership.calendars import AcademicYear

from .membership_port import member_tier
from .models import (
    Deployment,
    Offer,
    OfferCancellationPolicy,
    OfferPrice,
    Practitioner,
    Provider,
    Tier,
    TierInclusion,
)
from .rules import (
    MEMBER,
    NON_MEMBER,
    PRICE_KINDS,
    UNIT_COST,
    SchoolPrice,
    la_price,
    price_for,
    school_price,
)


def offer_prices(offer) -> dict:
    """{"member": {category or '': Decimal}, "non_member": {...}, "la": {...},
    "unit_cost": {...}}."""
    prices = {kind: {} for kind in PRICE_KINDS}
    for price in offer.prices.all():
        prices[price.kind][price.category] = price.amount
    return prices


def offer_price(offer, *, category, member: bool) -> Decimal | None:
    """The member or non-member price of one unit for a school of this category, or None."""
    return price_for(offer_prices(offer)[MEMBER if member else NON_MEMBER], category)


def offer_school_price(offer, *, category, member: bool) -> SchoolPrice:
    """As offer_price, with the reason in words (e.g. "No member price for special schools")."""
    return school_price(offer_prices(offer), category=category, member=member)


def offer_la_price(offer, *, category) -> SchoolPrice:
    """What the LA pays for one unit when it commissions the offer for a school of this
    category (the member price when the offer has no LA price), with the reason."""
    return la_price(offer_prices(offer), category=category)


def unit_cost(offer, *, category) -> Decimal | None:
    """What one unit of the offer costs the partnership for a school of this category."""
    return price_for(offer_prices(offer)[UNIT_COST], category)


def with_prices(queryset):
    return queryset.select_related("provider").prefetch_related(
        Prefetch("prices", queryset=OfferPrice.objects.order_by("kind", "category"))
    )


def catalogue_offers(*, strand=None, provider=None, category=None, active_only=True):
    """Offers for the catalogue, with provider and prices loaded (constant query count).

    `category` keeps the offers meant for that school category (an offer listing no
    phases is for every school).
    """
    offers = with_prices(Offer.objects.all())
    if active_only:
        offers = offers.filter(active=True)
    if strand:
        offers = offers.filter(strand=strand)
    if provider:
        offers = offers.filter(provider=provider)
    if category:
        offers = offers.filter(offered_to_category(category))
    return offers


def offered_to_category(category) -> Q:
    # The phases list is JSON text like ["primary", "special"]; matching the quoted
    # value works on SQLite and PostgreSQL alike (JSON `contains` is PostgreSQL-only).
    return Q(phases=[]) | Q(phases__icontains=f'"{category}"')


def offer_by_code(code, *, active_only=True):
    offers = with_prices(Offer.objects.all())
    if active_only:
        offers = offers.filter(active=True)
    return offers.filter(code=code).first()


def cancellation_policy(offer):
    """The offer's cancellation policy (owned by bookings), or None: cancelling is then free."""
    return OfferCancellationPolicy.objects.filter(offer=offer).first()


def school_membership(school, today: date | None = None) -> tuple[str, object]:
    """(academic year "2026/27", the school's tier that year or None when not a member)."""
    year = str(AcademicYear.containing(today or timezone.localdate()))
    return year, member_tier(school, year)


def offer_code_clashes_with_page(code) -> bool:
    """Whether /offer/<code>/ is already the address of another page (bookings, manage...)."""
    path = f"{reverse('offers:catalogue')}{code}/"
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "offer_detail"


def providers_list():
    return Provider.objects.annotate(
        offer_count=Count("offers", distinct=True),
        practitioner_count=Count("practitioners", distinct=True),
    )


def practitioners_list(academic_year: str | None = None):
    """Practitioners with their days committed (planned or delivered, not cancelled) and
    delivered in the academic year, summed in the same query."""
    year = academic_year or str(AcademicYear.containing(timezone.localdate()))
    in_year = Q(deployments__academic_year=year)
    return Practitioner.objects.select_related("provider", "user").annotate(
        committed=Coalesce(
            Sum(
                "deployments__days",
                filter=in_year & ~Q(deployments__status=Deployment.Status.CANCELLED),
            ),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        ),
        delivered=Coalesce(
            Sum(
                "deployments__days",
                filter=in_year & Q(deployments__status=Deployment.Status.DELIVERED),
            ),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        ),
    )


def tiers_list():
    return Tier.objects.prefetch_related(
        Prefetch(
            "inclusions",
            queryset=TierInclusion.objects.select_related("offer").order_by("offer__name"),
        )
    )


def catalogue_counts() -> dict:
    """For the coordinator's dashboard: active offers by strand, providers, practitioners."""
    by_strand = dict(
        Offer.objects.filter(active=True).values_list("strand").annotate(n=Count("id")).order_by()
    )
    return {
        "core_offers": by_strand.get(Offer.Strand.CORE, 0),
        "additional_offers": by_strand.get(Offer.Strand.ADDITIONAL, 0),
        "providers": Provider.objects.count(),
        "practitioners": Practitioner.objects.filter(active=True).count(),
    }


def active_tiers():
    """The membership tiers on offer, in their order, each with what its fee includes."""
    return tiers_list().filter(active=True).order_by("order", "name")


def offer_overview() -> dict:
    """For the public home page: the tiers on offer with what each includes, the core offer
    by name and how many additional offers there are (three queries)."""
    offers = Offer.objects.filter(active=True)
    return {
        "tiers": list(active_tiers()),
        "core_offers": list(offers.filter(strand=Offer.Strand.CORE).order_by("name")),
        "additional_count": offers.filter(strand=Offer.Strand.ADDITIONAL).count(),
    }


def day_rates() -> list:
    """Each designation with its day rate, or none, and the split of it (settings page)."""
    from .models import DayRate

    rates = {rate.designation: rate for rate in DayRate.objects.all()}
    return [
        {"designation": value, "label": label, "rate": rates.get(value)}
        for value, label in Practitioner.Designation.choices
    ]
