"""Pure rules of the offer catalogue: which price applies to a school. No database here.

Prices of an offer are kept per school category, with '' meaning "all schools". A
price set for the school's own category beats the all-schools price; when neither is
set the offer has no price for that school (shown as "price on request", never £0).
"""

from dataclasses import dataclass
from decimal import Decimal

from schools.rules import Category

ALL_SCHOOLS = ""
MEMBER = "member"
NON_MEMBER = "non_member"
LA = "la"
UNIT_COST = "unit_cost"
PRICE_KINDS = (MEMBER, NON_MEMBER, LA, UNIT_COST)
KIND_LABELS = {
    MEMBER: "Member price",
    NON_MEMBER: "Non-member price",
    LA: "LA price",
    UNIT_COST: "Unit cost to the partnership",
}
# The order categories are shown in: the common phases first.
CATEGORY_ORDER = (
    Category.PRIMARY,
    Category.SECONDARY,
    Category.SPECIAL,
    Category.NURSERY,
    Category.ALL_THROUGH,
    Category.ALTERNATIVE_PROVISION,
    Category.SIXTEEN_PLUS,
)


def category_label(category) -> str:
    if not category:
        return "all schools"
    return (
        f"{Category(category).label.lower()} schools" if category in Category.values else category
    )


def price_for(prices: dict, category) -> Decimal | None:
    """The price for a school of this category: its own category's, else the all-schools one."""
    if category and category in prices:
        return prices[category]
    return prices.get(ALL_SCHOOLS)


@dataclass(frozen=True)
class SchoolPrice:
    """A price for one school, and in words where it comes from (or why there is none)."""

    amount: Decimal | None
    reason: str

    @property
    def available(self) -> bool:
        return self.amount is not None


def school_price(prices_by_kind: dict, *, category, member: bool) -> SchoolPrice:
    """The member or non-member price for a school category, with the reason in words.

    `prices_by_kind` maps "member"/"non_member" to {category or '': Decimal}.
    """
    kind = MEMBER if member else NON_MEMBER
    prices = prices_by_kind.get(kind) or {}
    who = "Member" if member else "Non-member"
    if category and category in prices:
        return SchoolPrice(prices[category], f"{who} price for {category_label(category)}")
    if ALL_SCHOOLS in prices:
        return SchoolPrice(prices[ALL_SCHOOLS], f"{who} price for all schools")
    if not prices:
        if member:
            return SchoolPrice(None, "No member price is set: price on request")
        return SchoolPrice(None, "Not sold to non-members")
    return SchoolPrice(
        None, f"No {who.lower()} price for {category_label(category)}: price on request"
    )


def la_price(prices_by_kind: dict, *, category) -> SchoolPrice:
    """What the LA pays for one unit when it commissions the offer for a school of this
    category, with the reason in words.

    The offer's LA price (the school's own category's, else the all-schools one); an
    offer with no LA price at all charges the LA the member price (partnership-file.md).
    """
    prices = prices_by_kind.get(LA) or {}
    if not prices:
        member = school_price(prices_by_kind, category=category, member=True)
        if member.available:
            return SchoolPrice(member.amount, f"{member.reason} (the offer has no LA price)")
        return SchoolPrice(None, "No LA price and no member price is set")
    if category and category in prices:
        return SchoolPrice(prices[category], f"LA price for {category_label(category)}")
    if ALL_SCHOOLS in prices:
        return SchoolPrice(prices[ALL_SCHOOLS], "LA price for all schools")
    return SchoolPrice(None, f"No LA price for {category_label(category)}")


def price_summary(prices: dict) -> list[tuple[str, Decimal]]:
    """Every price of one kind as (who, amount), all schools first, then by category order."""
    rows = []
    if ALL_SCHOOLS in prices:
        rows.append(("All schools", prices[ALL_SCHOOLS]))
    for category in CATEGORY_ORDER:
        if category in prices:
            rows.append((Category(category).label, prices[category]))
    return rows


def offered_to(phases: list, category) -> bool:
    """Whether an offer is for schools of this category (no phases listed = every school)."""
    return not phases or not category or category in phases
