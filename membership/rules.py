"""Membership fees as pure calculations (partnership-file.md "Rules"). No database here.

A fee scheme is one of four kinds:
- per_pupil: pupils × rate, rounded half-up to the penny, then raised to the minimum and
  lowered to the maximum where given;
- by_category: one amount per school category; a category with no amount is an error;
- by_pupils: the first band, in file order, whose `up_to` is at least the pupils (the
  last band may have no `up_to`);
- flat: one amount for every school.
A school that joins after 1 September pays the fee × the months left in the academic
year, counting the joining month, / 12, rounded half-up to the penny.

A fee that cannot be computed (no pupil count, no amount for the category, no band)
is a `FeeQuote` with an `error` and no amount: never a silent zero.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from partnership.calendars import AcademicYear, PartnershipYear, months_from
from partnership.money import format_money, money
from schools.rules import Category

PER_PUPIL = "per_pupil"
BY_CATEGORY = "by_category"
BY_PUPILS = "by_pupils"
FLAT = "flat"
FEE_KINDS = (PER_PUPIL, BY_CATEGORY, BY_PUPILS, FLAT)


@dataclass(frozen=True)
class Band:
    """Schools with up to `up_to` pupils (no limit when None) pay `fee`."""

    up_to: int | None
    fee: Decimal


@dataclass(frozen=True)
class FeeTerms:
    """The parameters of one tier's fee scheme for one year, as plain values."""

    kind: str
    rate: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    flat: Decimal | None = None
    by_category: dict = field(default_factory=dict)
    bands: tuple = ()

    def needs_pupils(self) -> bool:
        return self.kind in (PER_PUPIL, BY_PUPILS)


@dataclass(frozen=True)
class FeeQuote:
    """What a school pays for a tier and why; `error` instead of an amount when it can't be said."""

    amount: Decimal | None
    basis: str
    error: str = ""
    pupils: int | None = None
    census_date: date | None = None

    @property
    def ok(self) -> bool:
        return not self.error


def long_date(day: date) -> str:
    """15 January 2026."""
    return f"{day.day} {day:%B} {day.year}"


def format_rate(rate: Decimal) -> str:
    """A per-pupil rate as written: £19.00, £0.89, but £0.895 (never rounded for display)."""
    if rate == rate.quantize(Decimal("0.01")):
        return format_money(rate)
    return f"£{rate.normalize():f}"


def _pupils_text(pupils: int) -> str:
    return f"{pupils:,} pupil" + ("" if pupils == 1 else "s")


def _error(reason, pupils=None, census_date=None) -> FeeQuote:
    return FeeQuote(amount=None, basis=reason, error=reason, pupils=pupils, census_date=census_date)


def band_label(bands, index: int) -> str:
    """'up to 210 pupils', '211–500 pupils', 'over 500 pupils' (any pupils for a lone open band)."""
    band = bands[index]
    lower = bands[index - 1].up_to + 1 if index > 0 else None
    if band.up_to is None:
        return f"over {lower - 1:,} pupils" if lower is not None else "any number of pupils"
    if lower is None:
        return f"up to {band.up_to:,} pupils"
    return f"{lower:,}–{band.up_to:,} pupils"


def category_words(category: str, *, plural=False) -> str:
    """'primary school', 'alternative provision schools': a category as a school reads it."""
    labels = dict(Category.choices)
    noun = "schools" if plural else "school"
    return f"{labels[category].lower()} {noun}" if category in labels else category


def annual_fee(
    terms: FeeTerms, *, pupils: int | None, category: str | None, census_date: date
) -> FeeQuote:
    """The full-year fee for a school with these pupils (at the census date) and category."""
    if terms.needs_pupils() and pupils is None:
        return _error(
            f"no pupil count at the census date {long_date(census_date)}", None, census_date
        )
    if terms.kind == PER_PUPIL:
        amount = money(pupils * terms.rate)
        basis = f"{_pupils_text(pupils)} × {format_rate(terms.rate)} = {format_money(amount)}"
        if terms.minimum is not None and amount < terms.minimum:
            amount = money(terms.minimum)
            basis += f", raised to the minimum of {format_money(amount)}"
        elif terms.maximum is not None and amount > terms.maximum:
            amount = money(terms.maximum)
            basis += f", lowered to the maximum of {format_money(amount)}"
        return FeeQuote(amount, basis, pupils=pupils, census_date=census_date)
    if terms.kind == BY_CATEGORY:
        if not category:
            return _error("no category for this school in the register", pupils, census_date)
        if category not in terms.by_category:
            return _error(
                f"no fee for {category_words(category, plural=True)}", pupils, census_date
            )
        amount = money(terms.by_category[category])
        return FeeQuote(
            amount,
            f"{category_words(category)}: {format_money(amount)}",
            pupils=pupils,
            census_date=census_date,
        )
    if terms.kind == BY_PUPILS:
        for index, band in enumerate(terms.bands):
            if band.up_to is None or pupils <= band.up_to:
                amount = money(band.fee)
                basis = f"band {band_label(terms.bands, index)}: {format_money(amount)}"
                return FeeQuote(amount, basis, pupils=pupils, census_date=census_date)
        return _error(f"no band for {_pupils_text(pupils)}", pupils, census_date)
    if terms.kind == FLAT:
        amount = money(terms.flat)
        return FeeQuote(
            amount, f"flat fee: {format_money(amount)}", pupils=pupils, census_date=census_date
        )
    raise ValueError(f"unknown fee kind {terms.kind!r}")


def pro_rata(quote: FeeQuote, *, year: AcademicYear | PartnershipYear, joined_on: date) -> FeeQuote:
    """The fee for a school joining on `joined_on`: full from the year's first day (1 September
    unless the partnership's year starts in another month), else months left / 12."""
    if not quote.ok or joined_on <= year.starts_on:
        return quote
    if joined_on > year.ends_on:
        return _error(
            f"{long_date(joined_on)} is after the end of the {year} year",
            quote.pupils,
            quote.census_date,
        )
    months = months_from(joined_on, year.ends_on)
    if months == 12:
        return quote
    amount = money(quote.amount * months / Decimal(12))
    basis = (
        f"{quote.basis}; joined in {joined_on:%B}: {months}/12 of "
        f"{format_money(quote.amount)} = {format_money(amount)}"
    )
    return FeeQuote(amount, basis, pupils=quote.pupils, census_date=quote.census_date)


def quote_fee(
    terms: FeeTerms,
    *,
    pupils: int | None,
    category: str | None,
    census_date: date,
    year: AcademicYear | PartnershipYear,
    joined_on: date | None = None,
) -> FeeQuote:
    """The fee a school pays for a tier in a year, joining on `joined_on` (None = from 1 Sept)."""
    quote = annual_fee(terms, pupils=pupils, category=category, census_date=census_date)
    if joined_on is None:
        return quote
    return pro_rata(quote, year=year, joined_on=joined_on)


def describe_terms(terms: FeeTerms) -> str:
    """A fee scheme in words, as a school reads it before it has a quote:
    "£2.50 a pupil, at least £500.00 and at most £3,000.00"; "Primary schools £2,100.00,
    secondary schools £4,200.00; not available to other schools"; "Up to 210 pupils £850.00,
    211–500 pupils £3,000.00, over 500 pupils £13,000.00"; "£1,500.00 for every school"."""
    if terms.kind == PER_PUPIL:
        text = f"{format_rate(terms.rate)} a pupil"
        limits = []
        if terms.minimum is not None:
            limits.append(f"at least {format_money(terms.minimum)}")
        if terms.maximum is not None:
            limits.append(f"at most {format_money(terms.maximum)}")
        return f"{text}, {' and '.join(limits)}" if limits else text
    if terms.kind == BY_CATEGORY:
        amounts = [
            f"{category_words(category, plural=True)} {format_money(amount)}"
            for category, amount in terms.by_category.items()
        ]
        text = ", ".join(amounts)
        if len(terms.by_category) < len(Category.choices):
            text += "; not available to other schools"
        return text[:1].upper() + text[1:]
    if terms.kind == BY_PUPILS:
        text = ", ".join(
            f"{band_label(terms.bands, index)} {format_money(band.fee)}"
            for index, band in enumerate(terms.bands)
        )
        return text[:1].upper() + text[1:]
    if terms.kind == FLAT:
        return f"{format_money(terms.flat)} for every school"
    raise ValueError(f"unknown fee kind {terms.kind!r}")


# --- The buy-back window ------------------------------------------------------------------

# ASSUMPTION: schools that have not answered are reminded two weeks and three days before
# the window closes, as council traded-services buy-back campaigns commonly do.
REMINDER_DAYS_BEFORE = (14, 3)


def buy_back_problem(
    *, year_name: str, opens: date | None, closes: date | None, today: date
) -> str:
    """Why a school may not change its renewal for the year today, or "" when it may.

    With no window set, renewals are open as they always were. Before the window opens the
    school waits; after it closes the partnership's rule for late changes applies: only the
    coordinator changes a renewal.
    """
    if opens is not None and today < opens:
        return f"Renewals for {year_name} open on {long_date(opens)}"
    if closes is not None and today > closes:
        return (
            f"The buy-back window for {year_name} closed on {long_date(closes)}: "
            "ask the partnership coordinator to make any change"
        )
    return ""


def reminder_due(*, closes: date | None, today: date, days_before: int) -> bool:
    """A reminder of `days_before` days is due from that day until the window closes."""
    if closes is None:
        return False
    return closes - timedelta(days=days_before) <= today <= closes


def renewal_response(*, status: str, tier_id, previous_tier_id) -> str:
    """What a school invited to renew has said, in the coordinator's words."""
    if status == "interested":
        return "No response"
    if status in ("pending", "active"):
        return "Renewing" if tier_id == previous_tier_id else "Changing membership"
    if status == "withdrawn":
        return "Leaving"
    if status == "declined":
        return "Declined by the partnership"
    return "Lapsed"
