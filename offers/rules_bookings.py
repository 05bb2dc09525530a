"""Pure rules for bookings and deployments: plain values in, plain values out, no database."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from partnership.calendars import AcademicYear
from partnership.money import money

HUNDRED = Decimal("100")
HALF_DAY = Decimal("0.5")


def included_units_left(*, inclusion: Decimal, already_used: Decimal) -> Decimal:
    """Units of an offer the tier still includes this year: inclusion − units already used."""
    return max(Decimal(inclusion) - Decimal(already_used), Decimal("0"))


def units_included(*, units: Decimal, included_left: Decimal) -> Decimal:
    """Included units are used first: as many of the booked units as the tier still covers."""
    return min(Decimal(units), max(Decimal(included_left), Decimal("0")))


def booking_charge(*, units: Decimal, included_units: Decimal, unit_price: Decimal) -> Decimal:
    """What the school pays: (units − included units) × unit price, to the penny."""
    charged = Decimal(units) - Decimal(included_units)
    if charged < 0:
        raise ValueError("included units cannot exceed the units booked")
    return money(charged * Decimal(unit_price))


def charge_as_it_stands(
    *,
    cancelled: bool,
    units: Decimal,
    included_units: Decimal,
    unit_price: Decimal,
    cancellation_charge: Decimal | None,
) -> Decimal:
    """What a booking costs the school now: a cancelled booking its cancellation charge
    (nothing when there was none), any other its booked charge."""
    if cancelled:
        return money(cancellation_charge or 0)
    return booking_charge(units=units, included_units=included_units, unit_price=unit_price)


def cancellation_charge(
    *,
    charge: Decimal,
    first_date: date | None,
    today: date,
    free_until_days: int | None,
    charge_percent: Decimal | None,
) -> Decimal:
    """Free when cancelled at least N days before the first date; after that, a percentage.

    Cancelling exactly N days before is still free. With no policy, or no first date
    yet, cancelling is free.
    """
    if free_until_days is None or charge_percent is None or first_date is None:
        return money(0)
    if (first_date - today).days >= free_until_days:
        return money(0)
    return money(Decimal(charge) * Decimal(charge_percent) / HUNDRED)


def capacity_left(*, capacity: int | Decimal | None, taken: Decimal) -> Decimal | None:
    """Units still bookable; None means unlimited."""
    if capacity is None:
        return None
    return max(Decimal(capacity) - Decimal(taken), Decimal("0"))


def fits(*, units: Decimal, left: Decimal | None) -> bool:
    return left is None or Decimal(units) <= left


def capacity_problem(*, units, capacity: int | None, places: int | None, unit: str) -> str:
    """Why a booking of `units` could never be met, or "" when it could: more than the offer
    has in the whole year (`capacity`) or than the session's `places`. A booking within them
    but beyond what is left joins the waiting list; one beyond them would wait for ever."""
    limits = [limit for limit in (capacity, places) if limit is not None]
    if not limits or Decimal(units) <= min(limits):
        return ""
    most = min(limits)
    if places is not None and places == most:
        return f"Book {most} places or fewer: the session has {most} places"
    return f"Book {most} {unit}s or fewer: there are {most} in the year"


def date_in_year_problem(day: date, *, year: AcademicYear, field: str) -> str:
    """Why `day` cannot be used for work of the membership `year`, or "" when it can: a date
    outside it is a typing mistake (0001-01-01), and delivered dates decide what is invoiced."""
    if year.starts_on <= day <= year.ends_on:
        return ""
    return (
        f"{field} must be in the {year} membership year, between "
        f"{year.starts_on.day} {year.starts_on:%B %Y} and {year.ends_on.day} {year.ends_on:%B %Y}"
    )


def days_left(*, days_available: Decimal, days_deployed: Decimal) -> Decimal:
    """A practitioner's days still free in the year (days available − non-cancelled days)."""
    return Decimal(days_available) - Decimal(days_deployed)


def dates_needed(days: Decimal) -> int:
    """One date for each whole or half day: 1.5 days are spread over 2 dates."""
    return math.ceil(Decimal(days))


def is_whole_or_half(days: Decimal) -> bool:
    return Decimal(days) > 0 and (Decimal(days) / HALF_DAY) % 1 == 0


def deployment_cost(*, days: Decimal, day_cost: Decimal) -> Decimal:
    """A delivered deployment costs days × the practitioner's day cost, to the penny."""
    return money(Decimal(days) * Decimal(day_cost))


@dataclass(frozen=True)
class BrokerageSplit:
    """A delivered deployment's worth at the designation's day rate, and who gets what."""

    value: Decimal
    home_school: Decimal
    partnership: Decimal


def brokerage_split(*, days: Decimal, day_rate: Decimal, partnership_percent: Decimal):
    """Days × the day rate, to the penny; the home school is paid its share of that
    (100% − the partnership's), rounded half-up to the penny, and the partnership keeps
    the rest, so the two always add up to the value exactly."""
    value = money(Decimal(days) * Decimal(day_rate))
    home_school = money(value * (HUNDRED - Decimal(partnership_percent)) / HUNDRED)
    return BrokerageSplit(value=value, home_school=home_school, partnership=value - home_school)


def work_delivered(*, unit: str, units: Decimal, days_delivered: Decimal, deliveries: int) -> bool:
    """Whether delivered deployments complete a booking (with nothing still planned).

    Day and half-day offers need their days (a half-day is 0.5 of a day); a review or a
    visit needs one delivered deployment for each unit; places and networks are
    recorded as delivered by the coordinator, so any delivered deployment completes them.
    """
    if deliveries == 0:
        return False
    if unit == "day":
        return Decimal(days_delivered) >= Decimal(units)
    if unit == "half-day":
        return Decimal(days_delivered) >= Decimal(units) * HALF_DAY
    if unit in ("review", "visit"):
        return deliveries >= Decimal(units)
    return True


# ASSUMPTIONS until the partnership sets its own: a practitioner with nine tenths of their
# days committed is nearly fully committed; one with under a quarter committed once half the
# academic year has gone is under-used (their home school released days that go unpaid).
NEARLY_FULL = Decimal("0.9")
UNDER_USED = Decimal("0.25")


def practitioner_use(
    *, days_available: Decimal, committed: Decimal, share_of_year_gone: Decimal
) -> str:
    """An alert about a practitioner's days this year, or "" when their use is as expected."""
    available = Decimal(days_available)
    committed = Decimal(committed)
    if available <= 0:
        return "No days available" if committed == 0 else "Over-committed"
    if committed > available:
        return "Over-committed"
    if committed >= available * NEARLY_FULL:
        return "Nearly fully committed"
    if share_of_year_gone >= Decimal("0.5") and committed < available * UNDER_USED:
        return "Under-used"
    return ""


def share_of_year_gone(today: date) -> Decimal:
    """How much of the academic year containing `today` has gone, 0 to 1."""
    year = AcademicYear.containing(today)
    length = (year.ends_on - year.starts_on).days + 1
    return Decimal((today - year.starts_on).days) / Decimal(length)


@dataclass(frozen=True)
class MissedPlaceCharges:
    """What a booking's missed places cost once its register is taken.

    `replaced` places come off the booking's own line (their price is no longer charged in
    full); `charges` are the extra lines, one per missed place that costs anything.
    """

    replaced: int
    charges: tuple


def missed_place_charges(
    *,
    charged_places: int,
    unit_price: Decimal,
    late: int,
    absent: int,
    late_is_free: bool,
    charge_percent: Decimal | None,
    no_show_charge: Decimal | None,
) -> MissedPlaceCharges:
    """Charges for the late cancellations and absences on one booking, per its policy.

    The booking's charged places (places − those its membership includes) cover the
    missed places first, late cancellations before absences, so a school is charged the
    least the policy allows. A charged place cancelled late costs the policy's percentage
    of its price instead of its price (nothing when the policy's free period reaches the
    day itself); a charged place whose delegate did not come is still charged in full on
    the booking. A missed place that costs the school nothing (included in its membership,
    or a free course) costs the policy's no-show charge, whichever way it was missed.
    Charges are returned late cancellations first, then absences.
    """
    # A place at £0.00 (a free course) is a free place, whatever the membership includes.
    charged = max(int(charged_places), 0) if Decimal(unit_price) > 0 else 0
    late_paid = min(late, charged)
    absent_paid = min(absent, charged - late_paid)
    percent = Decimal(charge_percent) if charge_percent is not None else HUNDRED
    fee = money(no_show_charge or 0)
    late_charge = money(0) if late_is_free else money(Decimal(unit_price) * percent / HUNDRED)
    charges = (
        [late_charge] * late_paid
        + [fee] * (late - late_paid)
        + [money(0)] * absent_paid
        + [fee] * (absent - absent_paid)
    )
    return MissedPlaceCharges(replaced=late_paid, charges=tuple(charges))


def rating_average(total: int, count: int) -> Decimal | None:
    """An average rating to one decimal place (4.5), or None when nobody answered."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
