"""An offer's LA price: what the LA pays when it commissions the offer for a school."""

from decimal import Decimal

import pytest
from django.urls import reverse

from offers.models import Offer
from offers.selectors_catalogue import offer_la_price, offer_prices
from partnership.partnership_file import PartnershipFileError

from .test_partnership_file_offers import load, with_offer

D = Decimal
pytestmark = pytest.mark.django_db


def review():
    return Offer.objects.get(code="peer-review")


def test_one_la_amount_is_what_the_la_pays_for_every_school(partnership_record):
    load(with_offer(price={"member": {"primary": "1000", "secondary": "1600"}, "la": "1250.50"}))
    for category in ("primary", "secondary", "special"):
        price = offer_la_price(review(), category=category)
        assert (price.amount, price.reason) == (D("1250.50"), "LA price for all schools")


def test_an_la_price_by_category(partnership_record):
    load(
        with_offer(
            price={
                "member": {"primary": "1000", "secondary": "1600"},
                "la": {"primary": "900", "secondary": "1450.25"},
            }
        )
    )
    assert offer_prices(review())["la"] == {"primary": D("900.00"), "secondary": D("1450.25")}
    assert offer_la_price(review(), category="secondary").amount == D("1450.25")
    special = offer_la_price(review(), category="special")
    assert (special.amount, special.reason) == (None, "No LA price for special schools")


def test_without_an_la_price_the_la_pays_the_member_price(partnership_record):
    load(with_offer(price={"member": {"primary": "1000", "secondary": "1600"}}))
    assert offer_prices(review())["la"] == {}
    price = offer_la_price(review(), category="secondary")
    assert (price.amount, price.reason) == (
        D("1600.00"),
        "Member price for secondary schools (the offer has no LA price)",
    )


def test_a_bad_la_price_is_reported_with_its_path(partnership_record):
    with pytest.raises(PartnershipFileError) as refused:
        load(with_offer(price={"member": "1000", "la": {"primary": "lots"}}))
    assert refused.value.problems == ["offers[0].price.la.primary: not a number"]
    assert not Offer.objects.exists()


def test_the_offer_page_shows_the_la_price_to_coordinators_only(
    partnership_record, client_for, coordinator, head_a
):
    load(with_offer(price={"member": "1000", "la": "1250.50"}))
    url = reverse("offers:offer_detail", args=["peer-review"])
    page = client_for(coordinator).get(url).content.decode()
    assert "LA, when it commissions this" in page and "£1,250.50" in page
    school_page = client_for(head_a).get(url).content.decode()
    assert "LA, when it commissions this" not in school_page and "£1,250.50" not in school_page


def test_the_offer_page_says_when_the_la_pays_the_member_price(
    partnership_record, client_for, coordinator
):
    load(with_offer(price={"member": "1000"}))
    page = client_for(coordinator).get(reverse("offers:offer_detail", args=["peer-review"]))
    assert "The member price (no LA price is set)" in page.content.decode()
