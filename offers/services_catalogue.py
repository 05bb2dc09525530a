"""Writes to the offer catalogue: providers, offers with their prices, tiers' inclusions."""

from django.db import transaction

from partnership.money import money
from partnership.records import save_if_changed, update_or_create_changed

from .models import Offer, OfferCancellationPolicy, OfferPrice, Provider, Tier
from .rules import PRICE_KINDS


def upsert_provider(*, code, name, **fields):
    """Create or update the provider with this code; returns (provider, created)."""
    return update_or_create_changed(Provider, code=code, defaults={"name": name, **fields})


@transaction.atomic
def set_offer_prices(offer, prices_by_kind):
    """Replace every price and unit cost of the offer with these.

    `prices_by_kind` maps "member", "non_member", "la" and "unit_cost" to
    {category or '' (all schools): amount}; a kind left out ends with no prices, so
    what is stored is exactly what was given (a coordinator clearing a box removes it).
    """
    unknown = set(prices_by_kind) - set(PRICE_KINDS)
    if unknown:
        raise ValueError(f"unknown price kinds: {', '.join(sorted(unknown))}")
    # Each price is changed in place, added or removed, never all replaced: prices are
    # audited, and the trail shows only those that changed ("Amount: £1,000 → £1,100").
    wanted = {
        (kind, category): money(amount)
        for kind, prices in prices_by_kind.items()
        for category, amount in prices.items()
    }
    held = {(price.kind, price.category): price for price in OfferPrice.objects.filter(offer=offer)}
    for key, price in held.items():
        if key not in wanted:
            price.delete()
    for (kind, category), amount in wanted.items():
        price = held.get((kind, category))
        if price is None:
            OfferPrice.objects.create(offer=offer, kind=kind, category=category, amount=amount)
        else:
            save_if_changed(price, {"amount": amount})


@transaction.atomic
def upsert_offer(*, code, prices_by_kind, cancellation=None, **fields):
    """Create or update the offer with this code, replacing its prices; returns (offer, created).

    `cancellation` ({"free_until_days": N, "charge_percent": P}) sets the offer's
    cancellation policy; None leaves any policy the offer has alone.
    """
    offer, created = update_or_create_changed(Offer, code=code, defaults=fields)
    set_offer_prices(offer, prices_by_kind)
    if cancellation is not None:
        set_cancellation_policy(offer, **cancellation)
    return offer, created


def set_cancellation_policy(offer, *, free_until_days, charge_percent, no_show_charge=None):
    """Free to cancel until N days before the first date, then P% of the booking's charge;
    `no_show_charge` (left alone when None) is what a missed free CPD place costs."""
    defaults = {"free_until_days": free_until_days, "charge_percent": charge_percent}
    if no_show_charge is not None:
        defaults["no_show_charge"] = no_show_charge
    policy, _ = update_or_create_changed(OfferCancellationPolicy, offer=offer, defaults=defaults)
    return policy


@transaction.atomic
def save_offer(form):
    """Save an offer form (fields, prices and cancellation rule typed into it) as one change.

    With no cancellation rule the offer has no policy: bookings are then free to cancel.
    """
    offer = form.save()
    set_offer_prices(offer, form.prices_by_kind())
    cancellation = form.cancellation()
    if cancellation is None:
        OfferCancellationPolicy.objects.filter(offer=offer).delete()
    else:
        set_cancellation_policy(offer, **cancellation)
    return offer


@transaction.atomic
def save_tier(form, inclusions):
    """Save a tier and the units of offers it includes (an inline formset) as one change."""
    tier: Tier = form.save()
    inclusions.instance = tier
    inclusions.save()
    return tier
