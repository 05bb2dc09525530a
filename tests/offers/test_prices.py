"""Which price applies to a school: pure rules, no database."""

from decimal import Decimal

from offers.rules import offered_to, price_for, price_summary, school_price

HASH_PEER_REVIEW = {
    "member": {"primary": Decimal("1000.00"), "secondary": Decimal("1600.00")},
    "non_member": {"primary": Decimal("1200.00"), "secondary": Decimal("1900.00")},
}


def test_a_price_for_the_schools_own_category_beats_the_all_schools_price():
    prices = {"": Decimal("500.00"), "special": Decimal("350.00")}
    assert price_for(prices, "special") == Decimal("350.00")


def test_the_all_schools_price_applies_when_the_category_has_none():
    prices = {"": Decimal("500.00"), "special": Decimal("350.00")}
    assert price_for(prices, "secondary") == Decimal("500.00")


def test_no_category_gets_the_all_schools_price():
    assert price_for({"": Decimal("500.00"), "primary": Decimal("1.00")}, "") == Decimal("500.00")


def test_no_price_when_neither_the_category_nor_all_schools_is_priced():
    assert price_for({"primary": Decimal("1000.00")}, "special") is None
    assert price_for({}, "primary") is None


def test_a_zero_price_is_a_price_not_a_missing_one():
    assert price_for({"": Decimal("0.00")}, "primary") == Decimal("0.00")


def test_member_price_for_a_secondary_school_says_where_it_comes_from():
    quote = school_price(HASH_PEER_REVIEW, category="secondary", member=True)
    assert quote.amount == Decimal("1600.00")
    assert quote.reason == "Member price for secondary schools"


def test_non_member_price_for_a_primary_school():
    quote = school_price(HASH_PEER_REVIEW, category="primary", member=False)
    assert quote.amount == Decimal("1200.00")
    assert quote.reason == "Non-member price for primary schools"


def test_all_schools_price_is_named_as_such():
    quote = school_price({"member": {"": Decimal("350.00")}}, category="nursery", member=True)
    assert (quote.amount, quote.reason) == (Decimal("350.00"), "Member price for all schools")


def test_a_special_school_with_no_price_is_told_price_on_request():
    quote = school_price(HASH_PEER_REVIEW, category="special", member=True)
    assert quote.amount is None
    assert not quote.available
    assert quote.reason == "No member price for special schools: price on request"


def test_an_offer_with_no_non_member_prices_is_not_sold_to_non_members():
    quote = school_price({"member": {"": Decimal("350.00")}}, category="primary", member=False)
    assert (quote.amount, quote.reason) == (None, "Not sold to non-members")


def test_an_offer_with_no_member_prices_is_price_on_request():
    quote = school_price({}, category="primary", member=True)
    assert (quote.amount, quote.reason) == (None, "No member price is set: price on request")


def test_price_summary_lists_all_schools_first_then_phases_in_order():
    prices = {"special": Decimal("1050"), "": Decimal("2100"), "secondary": Decimal("4200")}
    assert price_summary(prices) == [
        ("All schools", Decimal("2100")),
        ("Secondary", Decimal("4200")),
        ("Special", Decimal("1050")),
    ]


def test_an_offer_with_no_phases_is_for_every_school():
    assert offered_to([], "special")
    assert offered_to(["primary"], "primary")
    assert not offered_to(["primary"], "secondary")
