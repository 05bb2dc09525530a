"""Catalogue test data: providers, offers with prices, practitioners and tiers."""

from decimal import Decimal

from offers.models import Practitioner, Provider, Tier, TierInclusion
from offers.services_catalogue import upsert_offer


def provider(code="hash", name="HASH / Primary Forum"):
    return Provider.objects.get_or_create(code=code, defaults={"name": name})[0]


def offer(
    code="peer-review",
    *,
    name="Peer review",
    strand="additional",
    unit="review",
    by=None,
    member=None,
    non_member=None,
    la=None,
    unit_cost=None,
    **fields,
):
    """An offer; prices are {category or '': amount} per kind, amounts as strings."""
    prices = {
        "member": {k: Decimal(v) for k, v in (member or {}).items()},
        "non_member": {k: Decimal(v) for k, v in (non_member or {}).items()},
        "la": {k: Decimal(v) for k, v in (la or {}).items()},
        "unit_cost": {k: Decimal(v) for k, v in (unit_cost or {}).items()},
    }
    created, _ = upsert_offer(
        code=code,
        name=name,
        strand=strand,
        unit=unit,
        provider=by or provider(),
        prices_by_kind=prices,
        **fields,
    )
    return created


def hillingdon_catalogue():
    """Three offers from two providers, priced as Hillingdon's costing describes."""
    hash_ = provider("hash", "HASH / Primary Forum")
    la = provider("la", "Local Authority School Improvement Team")
    review = offer(
        "peer-review",
        name="Peer review",
        by=hash_,
        capacity=42,
        description="A team of heads reviews your school.",
        member={"primary": "1000", "secondary": "1600"},
        non_member={"primary": "1200", "secondary": "1900"},
        unit_cost={"": "0"},
    )
    visit = offer(
        "health-check",
        name="Adviser health check visit",
        strand="core",
        unit="visit",
        by=la,
        member={"": "0"},
        unit_cost={"": "350"},
    )
    network = offer(
        "sle-network",
        name="SLE subject network",
        unit="network",
        by=la,
        phases=["secondary"],
        member={"": "350"},
        non_member={"": "450"},
    )
    return {"hash": hash_, "la": la, "review": review, "visit": visit, "network": network}


def practitioner(name="Sam Lee", *, by=None, **fields):
    fields.setdefault("designation", Practitioner.Designation.SLE)
    fields.setdefault("day_cost", Decimal("350.00"))
    fields.setdefault("days_available", Decimal("15.0"))
    return Practitioner.objects.create(name=name, provider=by or provider(), **fields)


def tier(code="standard", name="Standard membership", *, includes=(), order=1):
    created = Tier.objects.create(code=code, name=name, order=order)
    for included, units in includes:
        TierInclusion.objects.create(tier=created, offer=included, units=Decimal(units))
    return created
