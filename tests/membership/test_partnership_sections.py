"""The year: and tiers: sections of the partnership file."""

import textwrap
from datetime import date
from decimal import Decimal

import pytest

from membership.models import FeeScheme, MembershipYear
from offers.models import Offer, Provider, Tier, TierInclusion
from partnership.partnership_file import PartnershipFileError, load_text

pytestmark = pytest.mark.django_db

HEAD = """\
format: 1
partnership:
  name: Test Partnership
  local_authority: {code: 312, name: Hillingdon}
"""
YEAR = """\
year:
  academic_year: 2026/27
  census_date: 2026-01-15
"""
TIERS = """\
tiers:
  - code: core
    name: Core membership
    fee: {per_pupil: "0.89", minimum: "250", maximum: "2500"}
  - code: subscription
    name: Collegiate subscription
    fee: {by_category: {primary: "2100", secondary: "4200", special: "1050"}}
  - code: level-2
    name: Service level 2
    fee:
      by_pupils:
        - {up_to: 210, fee: "850"}
        - {up_to: 500, fee: "3000"}
        - {fee: "13000"}
  - code: flat
    name: Flat fee
    fee: {flat: "1500"}
"""


def load(*parts):
    return load_text(HEAD + "".join(textwrap.dedent(part) for part in parts))


def problems(*parts):
    with pytest.raises(PartnershipFileError) as caught:
        load(*parts)
    return caught.value.problems


def test_loads_the_year_and_makes_it_current():
    summary = load(YEAR)
    year = MembershipYear.objects.get()
    assert (year.academic_year, year.census_date) == ("2026/27", date(2026, 1, 15))
    assert year.starts_on == date(2026, 9, 1) and year.ends_on == date(2027, 8, 31)
    assert summary["year"] == "2026/27 created"


def test_loads_every_fee_kind_in_file_order():
    summary = load(YEAR, TIERS)
    assert list(Tier.objects.values_list("code", "order")) == [
        ("core", 0),
        ("subscription", 1),
        ("level-2", 2),
        ("flat", 3),
    ]
    schemes = {s.tier.code: s for s in FeeScheme.objects.select_related("tier")}
    core = schemes["core"]
    assert (core.kind, core.rate, core.minimum, core.maximum) == (
        "per_pupil",
        Decimal("0.89"),
        Decimal("250"),
        Decimal("2500"),
    )
    assert schemes["subscription"].category_amounts == {
        "primary": "2100",
        "secondary": "4200",
        "special": "1050",
    }
    assert schemes["level-2"].bands == [
        {"up_to": 210, "fee": "850"},
        {"up_to": 500, "fee": "3000"},
        {"up_to": None, "fee": "13000"},
    ]
    assert schemes["flat"].flat_amount == Decimal("1500")
    assert summary["tiers"] == "4 created, 0 updated, fees for 2026/27"


def test_loading_twice_changes_nothing():
    load(YEAR, TIERS)
    before = list(FeeScheme.objects.order_by("pk").values())
    summary = load(YEAR, TIERS)
    assert list(FeeScheme.objects.order_by("pk").values()) == before
    assert Tier.objects.count() == 4 and MembershipYear.objects.count() == 1
    assert summary["tiers"] == "0 created, 4 updated, fees for 2026/27"


def test_reloading_a_changed_kind_leaves_no_stale_parameters():
    load(YEAR, TIERS)
    load(
        YEAR,
        """\
    tiers:
      - {code: core, name: Core membership, fee: {flat: "900"}}
    """,
    )
    core = FeeScheme.objects.get(tier__code="core")
    assert (core.kind, core.flat_amount, core.rate, core.minimum, core.maximum) == (
        "flat",
        Decimal("900"),
        None,
        None,
        None,
    )


def test_a_second_year_keeps_the_first_years_fees():
    load(YEAR, TIERS)
    load("""\
    year: {academic_year: 2027/28, census_date: 2027-01-21}
    tiers:
      - {code: core, name: Core membership, fee: {per_pupil: "0.95"}}
    """)
    rates = dict(
        FeeScheme.objects.filter(tier__code="core").values_list("year__academic_year", "rate")
    )
    assert rates == {"2026/27": Decimal("0.89"), "2027/28": Decimal("0.95")}


def test_includes_name_offers_already_loaded_and_replace_the_tiers_inclusions():
    provider = Provider.objects.create(code="hash", name="HASH")
    for code in ("peer-review", "sle-network"):
        Offer.objects.create(
            code=code, name=code, strand="additional", provider=provider, unit="review"
        )
    load(
        YEAR,
        """\
    tiers:
      - code: standard
        name: Standard
        fee: {flat: "1000"}
        includes:
          - {offer: peer-review, units: 1}
          - {offer: sle-network, units: 1.5}
    """,
    )
    assert set(TierInclusion.objects.values_list("offer__code", "units")) == {
        ("peer-review", Decimal("1")),
        ("sle-network", Decimal("1.5")),
    }
    load(
        YEAR,
        """\
    tiers:
      - code: standard
        name: Standard
        fee: {flat: "1000"}
        includes: [{offer: peer-review, units: 2}]
    """,
    )
    assert list(TierInclusion.objects.values_list("offer__code", "units")) == [
        ("peer-review", Decimal("2"))
    ]


def test_tiers_without_any_year_are_refused():
    assert "tiers: needs a year section: no membership year is loaded yet" in problems(TIERS)


def test_an_invalid_file_reports_every_problem_with_its_path_and_changes_nothing():
    load(YEAR, TIERS)
    before = list(FeeScheme.objects.order_by("pk").values())
    found = problems("""\
    year: {academic_year: 2026/28, census_date: 15/01/2026}
    tiers:
      - code: core
        name: Core membership
        fee: {per_pupil: "lots", minimum: "2600", maximum: "2500"}
      - code: two-kinds
        name: Two kinds
        fee: {flat: "100", per_pupil: "1"}
      - code: bands
        name: Bands
        fee:
          by_pupils:
            - {up_to: 500, fee: "850"}
            - {fee: "3000"}
            - {up_to: 400, fee: "13000"}
      - code: cats
        name: Cats
        fee: {by_category: {primary: "2100", infant: "900"}}
      - code: flat-min
        name: Flat with a floor
        fee: {flat: "100", minimum: "50"}
      - code: core
        name: Duplicate
        fee: {flat: "-5"}
        includes: [{offer: no-such-offer, units: 0}]
        colour: blue
    """)
    assert found == [
        "year.academic_year: not an academic year like 2026/27",
        "year.census_date: not a date like 2026-01-15",
        "tiers[0].fee.per_pupil: not a number",
        "tiers[0].fee.minimum: must not be more than the maximum",
        "tiers[1].fee: must have exactly one of per_pupil, by_category, by_pupils, flat",
        "tiers[2].fee.by_pupils[1].up_to: is required on every band but the last",
        "tiers[2].fee.by_pupils[2].up_to: must be more than the band before (500)",
        "tiers[3].fee.by_category.infant: not a school category (one of all_through, "
        "alternative_provision, nursery, primary, secondary, sixteen_plus, special)",
        "tiers[4].fee.minimum: only a per_pupil fee has a minimum or maximum",
        "tiers[5].colour: unknown key",
    ]
    assert list(FeeScheme.objects.order_by("pk").values()) == before


def test_problems_in_a_valid_shaped_tier_are_all_reported():
    found = problems(
        YEAR,
        """\
    tiers:
      - code: core
        name: Core
        fee: {flat: "-5"}
        includes: [{offer: no-such-offer, units: 0}, {offer: x, units: "1.25"}]
      - code: core
        name: Again
        fee: {by_pupils: []}
      - code: "bad code!"
        name: ""
        fee: {by_category: {}}
    """,
    )
    assert found == [
        "tiers[0].fee.flat: must not be negative",
        "tiers[0].includes[0].offer: unknown offer 'no-such-offer': "
        "not in offers and not already loaded",
        "tiers[0].includes[0].units: must be more than 0",
        "tiers[0].includes[1].offer: unknown offer 'x': not in offers and not already loaded",
        "tiers[0].includes[1].units: at most one decimal place (e.g. 1.5)",
        "tiers[1].code: duplicate code 'core'",
        "tiers[1].fee.by_pupils: must have at least one band",
        "tiers[2].name: is required",
    ]
    assert not Tier.objects.exists() and not MembershipYear.objects.exists()


def test_the_year_may_set_its_buy_back_window():
    load(YEAR + "  buy_back: {opens: 2026-03-01, closes: 2026-05-31}\n")
    year = MembershipYear.objects.get()
    assert (year.buy_back_opens, year.buy_back_closes) == (date(2026, 3, 1), date(2026, 5, 31))
    load(YEAR)  # a file without the window leaves the one set alone
    year.refresh_from_db()
    assert year.buy_back_closes == date(2026, 5, 31)


def test_a_buy_back_window_that_closes_before_it_opens_is_refused():
    found = problems(YEAR + "  buy_back: {opens: 2026-05-01, closes: 2026-03-01}\n")
    assert found == ["year.buy_back.closes: must be on or after opens"]
    assert not MembershipYear.objects.exists()
