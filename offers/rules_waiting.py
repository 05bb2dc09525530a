"""Pure rules for waiting lists: plain values in, plain values out, no database."""

from datetime import datetime, timedelta
from decimal import Decimal

DEFAULT_HOLD_HOURS = 48


def hold_ends(*, offered_at: datetime, hours: int) -> datetime:
    """A place offered from a waiting list is held for the school for `hours` from the offer."""
    return offered_at + timedelta(hours=hours)


def lapsed(*, expires_at: datetime | None, now: datetime) -> bool:
    """The hold has run out at the moment it ends: accepting at that instant is too late."""
    return expires_at is not None and now >= expires_at


def places_to_offer(*, waiting_units: list[Decimal], left: Decimal | None) -> int:
    """How many of the waiting list, in order, are offered a place from `left` free units.

    First come, first served, and no queue-jumping: a school is offered a place only when
    all the places it booked fit, and when the next school's booking does not fit, those
    behind it wait too (the coordinator may still offer one of them a place out of turn).
    """
    offered = 0
    for units in waiting_units:
        if left is not None and Decimal(units) > left:
            break
        offered += 1
        if left is not None:
            left -= Decimal(units)
    return offered
