"""Every example partnership file loads, and its fees come out as the real model says."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from membership.models import FeeScheme, MembershipYear
from partnership.partnership_file import load_text
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

EXAMPLES = sorted((Path(settings.BASE_DIR) / "examples").glob("*.yaml"))


def load_example(name):
    return load_text((Path(settings.BASE_DIR) / "examples" / name).read_text(encoding="utf-8"))


def test_there_is_an_example_for_each_real_model():
    assert [path.name for path in EXAMPLES] == [
        "camden-learning.yaml",
        "demo-partnership.yaml",
        "haringey.yaml",
        "harrow-collegiate.yaml",
        "harrow-hsip.yaml",
        "hillingdon-option1.yaml",
        "hillingdon-option2.yaml",
        "hillingdon-option3.yaml",
        "surrey-safe.yaml",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_loads_with_a_fee_for_every_tier(path):
    text = path.read_text(encoding="utf-8")
    load_text(text)
    document = yaml.safe_load(text)
    year = MembershipYear.objects.get(academic_year=str(document["year"]["academic_year"]))
    assert year.is_current
    assert sorted(
        FeeScheme.objects.filter(year=year).values_list("tier__code", flat=True)
    ) == sorted(tier["code"] for tier in document["tiers"])
    # Loading the same file again changes nothing.
    before = list(FeeScheme.objects.order_by("pk").values())
    load_text(text)
    assert list(FeeScheme.objects.order_by("pk").values()) == before


def export(tier):
    out = io.StringIO()
    call_command("export_fee_schedule", "--tier", tier, stdout=out)
    return out.getvalue().splitlines()[1:]


@pytest.mark.parametrize(
    "example, tier, pupils, category, fee",
    [
        ("haringey.yaml", "member", 420, "primary", "7980.00"),
        ("surrey-safe.yaml", "member", 100, "primary", "250.00"),
        ("surrey-safe.yaml", "member", 1000, "secondary", "890.00"),
        ("surrey-safe.yaml", "member", 3000, "secondary", "2500.00"),
        ("camden-learning.yaml", "level-1", 100, "primary", "850.00"),
        ("camden-learning.yaml", "level-3", 501, "secondary", "9000.00"),
        ("camden-learning.yaml", "level-4", 1500, "secondary", "13000.00"),
        ("harrow-collegiate.yaml", "subscription", 1000, "secondary", "4200.00"),
        ("harrow-collegiate.yaml", "subscription", 300, "primary", "2100.00"),
        ("harrow-collegiate.yaml", "subscription", 120, "special", "1050.00"),
        ("hillingdon-option1.yaml", "member", 412, "primary", "1300.00"),
        ("hillingdon-option1.yaml", "member", 943, "secondary", "2600.00"),
        ("hillingdon-option1.yaml", "member", 60, "nursery", "650.00"),
        ("hillingdon-option2.yaml", "basic", 412, "primary", "1030.00"),
        ("hillingdon-option2.yaml", "advanced", 943, "secondary", "7200.00"),
        ("hillingdon-option3.yaml", "core", 412, "primary", "1030.00"),
        ("hillingdon-option3.yaml", "core", 150, "primary", "500.00"),
        ("hillingdon-option3.yaml", "core", 1500, "secondary", "3000.00"),
    ],
)
def test_example_fees(example, tier, pupils, category, fee):
    load_example(example)
    SchoolFactory(urn="500001", name="Example School", category=category, pupils=pupils)
    row = export(tier)[0].split(",")
    assert (row[0], row[4], row[5]) == ("500001", tier, fee)


def test_harrow_has_no_subscription_for_a_nursery_and_says_so():
    load_example("harrow-collegiate.yaml")
    SchoolFactory(urn="500002", name="Little Acorns Nursery", category="nursery", pupils=90)
    assert export("subscription") == [
        "500002,Little Acorns Nursery,nursery,90,subscription,,no fee for nursery schools"
    ]


def test_harrow_non_members_pay_more_for_every_priced_offer():
    from offers.models import OfferPrice

    load_example("harrow-collegiate.yaml")
    prices = {
        (p.offer.code, p.kind): p.amount
        for p in OfferPrice.objects.select_related("offer").filter(
            kind__in=("member", "non_member")
        )
    }
    offers = {code for code, _ in prices}
    assert offers and all(
        prices[(code, "non_member")] > prices[(code, "member")] for code in offers
    )


def test_the_demo_file_costs_the_demo_schools():
    call_command(
        "import_gias",
        str(Path(settings.BASE_DIR) / "examples" / "gias-demo.csv"),
        "--census-date",
        "2026-01-15",
        stdout=io.StringIO(),
    )
    load_example("demo-partnership.yaml")
    rows = {row.split(",")[0]: row for row in export("advanced")}
    assert rows["102415"].split(",")[5] == "7200.00"
    assert rows["102421"].endswith(",advanced,,no fee for nursery schools")
    standard = {row.split(",")[0]: row.split(",")[5] for row in export("standard")}
    assert standard["102401"] == "2800.00"  # Brookfield Primary, 412 pupils: band 211-500
    assert Decimal(standard["102418"]) == Decimal("5500.00")  # Manor Farm, 1,327 pupils


@pytest.mark.parametrize(
    "example, offer, la_price",
    [
        ("haringey.yaml", "commissioned-support", "550.00"),
        ("surrey-safe.yaml", "commissioned-support", "550.00"),
        ("camden-learning.yaml", "adviser-visit", "500.00"),
    ],
)
def test_the_schools_led_companies_invoice_every_school_and_charge_the_la(example, offer, la_price):
    from offers.models import Offer
    from offers.selectors_catalogue import offer_la_price
    from partnership.models import Partnership

    load_example(example)
    assert Partnership.current().legal_form == "company"
    price = offer_la_price(Offer.objects.get(code=offer), category="primary")
    assert price.amount == Decimal(la_price)
    assert price.reason == "LA price for all schools"


def test_harrow_hsip_is_a_council_trading_account_whose_la_commissions_three_offers():
    from offers.models import Offer
    from offers.selectors_catalogue import offer_la_price
    from partnership.models import Partnership

    load_example("harrow-hsip.yaml")
    assert Partnership.current().legal_form == Partnership.LegalForm.LA_TRADING_ACCOUNT
    assert list(MembershipYear.objects.values_list("academic_year", flat=True)) == ["2011/12"]
    # Support for schools causing concern, NQT induction and early years training, each
    # with the price the LA pays when it commissions it.
    la_prices = {
        offer.code: offer_la_price(offer, category="primary") for offer in Offer.objects.all()
    }
    assert {code: price.amount for code, price in la_prices.items()} == {
        "concern-support": Decimal("450.00"),
        "nqt-induction": Decimal("300.00"),
        "early-years-training": Decimal("150.00"),
    }
    assert {price.reason for price in la_prices.values()} == {"LA price for all schools"}


def test_harrow_hsip_contributions_come_from_the_january_2011_census():
    import datetime

    from schools.models import PupilCount

    load_example("harrow-hsip.yaml")
    school = SchoolFactory(urn="500003", name="Harrow Primary", pupils=999)  # 2026 census
    PupilCount.objects.create(school=school, census_date=datetime.date(2011, 1, 20), pupils=420)
    # 420 pupils × £8 (an assumed contribution), not the 999 counted in 2026.
    row = export("member")[0].split(",")
    assert (row[0], row[3], row[5]) == ("500003", "420", "3360.00")
