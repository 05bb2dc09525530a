"""Practitioners' day rates by designation and the brokerage split of a delivered day."""

from decimal import Decimal

from django.db import transaction

from partnership.history import recorded_as
from partnership.money import money

from . import rules_bookings as rules
from .models import DayRate


def freeze_delivery_cost(deployment):
    """Fix what a deployment being delivered costs the partnership (the caller saves it).

    A practitioner released by a home school, whose designation has a day rate, costs the
    home school's share of days × that rate: the monthly run pays the school that. The
    school, rate and share are frozen with it, so a later change of rate, split or home
    school never changes what is owed. Anyone else (an adviser the LA employs), or a
    designation without a rate, costs days × the practitioner's own day cost.
    """
    practitioner = deployment.practitioner
    rate = None
    if practitioner.home_school_id is not None:
        rate = DayRate.objects.filter(designation=practitioner.designation).first()
    if rate is None:
        deployment.cost = rules.deployment_cost(
            days=deployment.days, day_cost=practitioner.day_cost
        )
        return
    split = rules.brokerage_split(
        days=deployment.days,
        day_rate=rate.day_rate,
        partnership_percent=rate.partnership_percent,
    )
    deployment.home_school_id = practitioner.home_school_id
    deployment.day_rate = rate.day_rate
    deployment.home_school_percent = rate.home_school_percent
    deployment.home_school_payment = split.home_school
    deployment.cost = split.home_school


@transaction.atomic
def set_day_rates(
    *, rates: dict, partnership_percent: Decimal, reason: str = "Day rates changed"
) -> list[DayRate]:
    """Set each designation's day rate (None removes it) and the partnership's share.

    Deliveries already recorded keep the rate and split frozen on them.
    """
    kept = []
    with recorded_as(reason):
        for designation, day_rate in rates.items():
            if day_rate is None:
                for row in DayRate.objects.filter(designation=designation):
                    row.delete()
                continue
            row, _ = DayRate.objects.update_or_create(
                designation=designation,
                defaults={
                    "day_rate": money(day_rate),
                    "partnership_percent": Decimal(partnership_percent),
                },
            )
            kept.append(row)
    return kept
