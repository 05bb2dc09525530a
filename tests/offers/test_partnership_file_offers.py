"""The providers: and offers: sections of the partnership file."""

from decimal import Decimal

import pytest
import yaml

from offers.models import Offer, OfferCancellationPolicy, OfferPrice, Provider
from offers.selectors_catalogue import offer_price, unit_cost
from partnership.partnership_file import PartnershipFileError, load_text

pytestmark = pytest.mark.django_db

HEAD = """
format: 1
partnership:
  name: Hillingdon Schools' Improvement Partnership
  local_authority: {code: 312, name: Hillingdon}
"""

VALID = (
    HEAD
    + """
providers:
  - {code: la, name: Local Authority School Improvement Team}
  - {code: hash, name: HASH / Primary Forum}
offers:
  - code: peer-review
    name: Peer review
    strand: additional
    provider: hash
    unit: review
    price:
      member: {primary: "1000", secondary: "1600"}
      non_member: {primary: "1200", secondary: "1900"}
    unit_cost: "0"
    capacity: 42
  - code: health-check
    name: Adviser health check visit
    description: Two visits a year from a school improvement adviser.
    strand: core
    provider: la
    unit: visit
    phases: [primary, secondary]
    vat_rate: "20"
    price: {member: 0}
    unit_cost: {primary: "350", secondary: "425.50"}
"""
)


def load(text):
    return load_text(text)


def problems_of(text):
    with pytest.raises(PartnershipFileError) as caught:
        load_text(text)
    return caught.value.problems


def with_offer(**changes):
    """The valid file with the first offer changed (None removes a key)."""
    document = yaml.safe_load(VALID)
    offer = document["offers"][0]
    for key, value in changes.items():
        if value is None:
            offer.pop(key, None)
        else:
            offer[key] = value
    return yaml.safe_dump(document)


def test_a_valid_file_loads_providers_and_offers_with_their_prices(partnership_record):
    summary = load(VALID)

    assert summary["providers"] == "2 created, 0 updated"
    assert summary["offers"] == "2 created, 0 updated"
    review = Offer.objects.get(code="peer-review")
    assert (review.name, review.strand, review.unit, review.capacity) == (
        "Peer review",
        "additional",
        "review",
        42,
    )
    assert review.provider.code == "hash"
    assert offer_price(review, category="secondary", member=True) == Decimal("1600.00")
    assert offer_price(review, category="primary", member=False) == Decimal("1200.00")
    assert offer_price(review, category="special", member=True) is None
    assert unit_cost(review, category="primary") == Decimal("0.00")
    visit = Offer.objects.get(code="health-check")
    assert visit.phases == ["primary", "secondary"]
    assert visit.vat_rate == Decimal("20.00")
    assert visit.capacity is None
    assert visit.description == "Two visits a year from a school improvement adviser."
    assert offer_price(visit, category="nursery", member=True) == Decimal("0.00")
    assert unit_cost(visit, category="secondary") == Decimal("425.50")
    assert OfferPrice.objects.count() == 4 + 1 + 1 + 2


def test_loading_the_same_file_again_updates_and_creates_nothing(partnership_record):
    load(VALID)
    summary = load(VALID)

    assert summary["providers"] == "0 created, 2 updated"
    assert summary["offers"] == "0 created, 2 updated"
    assert Provider.objects.count() == 2
    assert Offer.objects.count() == 2
    assert OfferPrice.objects.count() == 8


def test_reloading_replaces_the_offers_prices(partnership_record):
    load(VALID)
    load(with_offer(price={"member": "1100"}, unit_cost=None))

    review = Offer.objects.get(code="peer-review")
    assert offer_price(review, category="secondary", member=True) == Decimal("1100.00")
    assert offer_price(review, category="secondary", member=False) is None
    assert unit_cost(review, category="primary") is None
    assert review.prices.count() == 1


def test_an_offer_may_name_a_provider_already_in_the_database(partnership_record):
    Provider.objects.create(code="lle", name="LLE and SLE network")
    text = (
        HEAD
        + """
offers:
  - {code: lle-day, name: LLE day, strand: additional, provider: lle, unit: day,
     price: {member: "500"}}
"""
    )
    assert load(text)["offers"] == "1 created, 0 updated"
    assert Offer.objects.get(code="lle-day").provider.name == "LLE and SLE network"


def test_an_unknown_provider_code_is_reported_with_its_path(partnership_record):
    problems = problems_of(with_offer(provider="nobody"))
    assert problems == [
        "offers[0].provider: unknown provider 'nobody': not in providers and not already loaded"
    ]
    assert Offer.objects.count() == 0
    assert Provider.objects.count() == 0


def test_a_category_that_does_not_exist_is_reported_with_its_path(partnership_record):
    problems = problems_of(with_offer(price={"member": {"primry": "1000"}}))
    assert problems == [
        "offers[0].price.member.primry: not a school category (one of all_through, "
        "alternative_provision, nursery, primary, secondary, sixteen_plus, special)"
    ]


@pytest.mark.parametrize(
    "changes, problem",
    [
        (
            {"price": {"member": {"primary": "lots"}}},
            "offers[0].price.member.primary: not a number",
        ),
        ({"price": {"member": "-5"}}, "offers[0].price.member: must not be negative"),
        (
            {"price": {"member": "10.005"}},
            "offers[0].price.member: must be in whole pence (at most 2 decimal places)",
        ),
        (
            {"price": {"member": {}}},
            "offers[0].price.member: must name at least one school category",
        ),
        ({"price": {"non_member": "100"}}, "offers[0].price.member: is required"),
        ({"price": {"member": "1", "members": "2"}}, "offers[0].price.members: unknown key"),
        ({"price": None}, "offers[0].price: is required"),
        ({"unit_cost": {"secondary": "x"}}, "offers[0].unit_cost.secondary: not a number"),
        ({"strand": "extra"}, "offers[0].strand: must be one of additional, core"),
        (
            {"unit": "hour"},
            "offers[0].unit: must be one of day, half-day, network, place, review, visit",
        ),
        ({"capacity": "many"}, "offers[0].capacity: not a number"),
        ({"capacity": 2.5}, "offers[0].capacity: must be a whole number"),
        ({"capacity": -1}, "offers[0].capacity: must be at least 0"),
        ({"code": "peer review"}, "offers[0].code: must be letters, digits, - or _ only"),
        ({"code": "health-check"}, "offers[1].code: duplicate code 'health-check'"),
        ({"code": "manage"}, "offers[0].code: 'manage' is the address of a page of the portal"),
        ({"name": None}, "offers[0].name: is required"),
        ({"colour": "blue"}, "offers[0].colour: unknown key"),
        (
            {"phases": ["primary", "infant"]},
            "offers[0].phases[1]: not a school category (one of all_through, "
            "alternative_provision, nursery, primary, secondary, sixteen_plus, special)",
        ),
        ({"vat_rate": "120"}, "offers[0].vat_rate: must be a percentage between 0 and 100"),
        (
            {"cancellation": {"free_until_days_before": 14}},
            "offers[0].cancellation.charge_percent: is required",
        ),
        (
            {"cancellation": {"free_until_days_before": -1, "charge_percent": 50}},
            "offers[0].cancellation.free_until_days_before: must be at least 0",
        ),
        (
            {"cancellation": {"free_until_days_before": 14, "charge_percent": 150}},
            "offers[0].cancellation.charge_percent: must be a percentage between 0 and 100",
        ),
    ],
)
def test_each_invalid_offer_is_reported_with_its_path_and_nothing_is_loaded(
    partnership_record, changes, problem
):
    assert problems_of(with_offer(**changes)) == [problem]
    assert Offer.objects.count() == 0
    assert Provider.objects.count() == 0


def test_every_problem_in_the_file_is_reported_at_once(partnership_record):
    text = (
        HEAD
        + """
providers:
  - {code: la, name: LA}
  - {code: la, name: Again}
  - {name: No code}
  - {code: x, name: X, phone: "01895"}
offers:
  - {code: a, name: A, strand: core, provider: la, unit: day, price: {member: {primary: "x"}}}
  - not a mapping
"""
    )
    assert problems_of(text) == [
        "providers[1].code: duplicate code 'la'",
        "providers[2].code: is required",
        "providers[3].phone: unknown key",
        "offers[0].price.member.primary: not a number",
        "offers[1]: must be a mapping of keys to values",
    ]


def test_sections_that_are_not_lists_are_reported(partnership_record):
    assert problems_of(HEAD + "providers: {code: la}\noffers: peer-review\n") == [
        "providers: must be a list",
        "offers: must be a list",
    ]


def test_a_cancellation_rule_is_loaded_and_left_alone_when_a_later_file_omits_it(
    partnership_record,
):
    load(with_offer(cancellation={"free_until_days_before": 14, "charge_percent": "50"}))
    policy = OfferCancellationPolicy.objects.get(offer__code="peer-review")
    assert (policy.free_until_days, policy.charge_percent) == (14, Decimal("50.00"))

    load(with_offer(cancellation={"free_until_days_before": 28, "charge_percent": "100"}))
    load(VALID)
    policy = OfferCancellationPolicy.objects.get(offer__code="peer-review")
    assert (policy.free_until_days, policy.charge_percent) == (28, Decimal("100.00"))
    assert OfferCancellationPolicy.objects.count() == 1
