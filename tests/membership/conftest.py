"""A partnership with a 2026/27 membership year and four tiers, one of each fee kind."""

from datetime import date
from decimal import Decimal

import pytest

from membership import services
from membership.models import MembershipYear
from offers.models import Offer, Provider

CENSUS = date(2026, 1, 15)
# A day before the 2026/27 year starts: signing then joins on 1 September, full fee.
BEFORE_YEAR = date(2026, 6, 15)


@pytest.fixture
def membership_year(db):
    year, _ = services.load_membership_year(academic_year="2026/27", census_date=CENSUS)
    return year


@pytest.fixture
def next_year(membership_year):
    year, _ = MembershipYear.objects.update_or_create(
        academic_year="2027/28", defaults={"census_date": date(2027, 1, 21)}
    )
    return year


@pytest.fixture
def peer_review(db):
    provider = Provider.objects.create(code="hash", name="HASH / Primary Forum")
    return Offer.objects.create(
        code="peer-review",
        name="Peer review",
        strand="additional",
        provider=provider,
        unit="review",
    )


@pytest.fixture
def tiers(membership_year, peer_review):
    """core: £19 a pupil; standard: £0.89 a pupil, £250-£2,500; banded; by category."""
    core, _ = services.load_tier(code="core", name="Core membership", order=0, includes=[])
    standard, _ = services.load_tier(
        code="standard",
        name="Standard membership",
        order=1,
        includes=[{"offer": "peer-review", "units": Decimal("1")}],
    )
    banded, _ = services.load_tier(code="banded", name="Service level", order=2, includes=[])
    subscription, _ = services.load_tier(
        code="subscription", name="Subscription", order=3, includes=[]
    )
    services.load_fee_scheme(tier=core, year=membership_year, kind="per_pupil", rate=Decimal("19"))
    services.load_fee_scheme(
        tier=standard,
        year=membership_year,
        kind="per_pupil",
        rate=Decimal("0.89"),
        minimum=Decimal("250"),
        maximum=Decimal("2500"),
    )
    services.load_fee_scheme(
        tier=banded,
        year=membership_year,
        kind="by_pupils",
        bands=[
            {"up_to": 210, "fee": "850"},
            {"up_to": 500, "fee": "3000"},
            {"up_to": None, "fee": "13000"},
        ],
    )
    services.load_fee_scheme(
        tier=subscription,
        year=membership_year,
        kind="by_category",
        category_amounts={"primary": "2100", "secondary": "4200"},
    )
    return {"core": core, "standard": standard, "banded": banded, "subscription": subscription}
