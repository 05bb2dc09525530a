"""How memberships and fee schemes appear in an audit trail (see partnership.history)."""

from decimal import Decimal

from django.urls import reverse

from partnership.history import Audited
from partnership.money import format_money, money
from schools.rules import Category

from . import rules
from .models import FeeScheme, Membership

MEMBERSHIP = Audited(
    key="membership",
    label="Membership",
    model=Membership,
    name=lambda membership: f"{membership.school.name} {membership.year}",
    search=("school__name", "school__urn"),
    url=lambda membership: reverse("membership:school", args=[membership.school.urn]),
)


def _named(record) -> str:
    return str(record) if record is not None else "(removed)"


def _pounds(value) -> str:
    # A rate is kept as the file gives it (£0.895 a pupil), so it is shown unrounded.
    exact = Decimal(value).normalize()
    return format_money(exact) if exact == money(exact) else f"£{exact:f}"


def _by_category(amounts) -> str:
    # In the categories' own order (nursery, primary, secondary, ...): PostgreSQL's jsonb
    # keeps keys by length and SQLite's JSON as written, so the stored order says nothing.
    order = {key: index for index, key in enumerate(Category.values)}
    return ", ".join(
        f"{Category(key).label if key in Category.values else key} {_pounds(fee)}"
        for key, fee in sorted(amounts.items(), key=lambda item: order.get(item[0], len(order)))
    )


def _bands(bands) -> str:
    return ", ".join(
        f"{'up to ' + str(band['up_to']) if band.get('up_to') is not None else 'more'} "
        f"pupils {_pounds(band['fee'])}"
        for band in bands
    )


def _terms(scheme) -> str:
    """The scheme in words: "Per pupil: £19.00 a pupil, at least £2,000.00"."""
    said = f"{scheme.get_kind_display()}: "
    if scheme.kind == rules.PER_PUPIL:
        said += f"{_pounds(scheme.rate)} a pupil"
        if scheme.minimum is not None:
            said += f", at least {_pounds(scheme.minimum)}"
        if scheme.maximum is not None:
            said += f", at most {_pounds(scheme.maximum)}"
    elif scheme.kind == rules.BY_CATEGORY:
        said += _by_category(scheme.category_amounts)
    elif scheme.kind == rules.BY_PUPILS:
        said += _bands(scheme.bands)
    elif scheme.flat_amount is not None:
        said += _pounds(scheme.flat_amount)
    return said


FEE_SCHEME = Audited(
    key="fee_scheme",
    label="Fee scheme",
    model=FeeScheme,
    name=lambda scheme: f"{_named(scheme.tier)} {_named(scheme.year)}",
    search=("tier__name", "tier__code", "year__academic_year"),
    labels={
        "kind": "Fee basis",
        "flat_amount": "Flat fee",
        "category_amounts": "Fees by school category",
        "bands": "Fees by pupils",
    },
    formats={
        "rate": _pounds,
        "minimum": _pounds,
        "maximum": _pounds,
        "flat_amount": _pounds,
        "category_amounts": _by_category,
        "bands": _bands,
    },
    created=_terms,
)

AUDITED = (MEMBERSHIP, FEE_SCHEME)
