"""The public fee calculator (/fees/): anyone finds a school and sees its fee for each tier."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from membership import rules, services
from membership.models import FeeScheme
from schools.models import PupilCount, School
from tests.factories import SchoolFactory

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day):
        monkeypatch.setattr(services, "today", lambda: day)

    set_day(BEFORE_YEAR)
    return set_day


def text(response):
    return " ".join(response.content.decode().split())


def get(url):
    return Client().get(url)


def test_a_school_found_by_its_urn_shows_its_fee_for_every_tier_with_the_basis_and_census(
    tiers, on_day
):
    school = SchoolFactory(name="Alpha Primary School", urn="123456", pupils=420)
    response = get("/fees/?urn=123456")
    assert response.status_code == 200
    page = text(response)
    assert "Alpha Primary School" in page
    assert "use the census of 15 January 2026, when Alpha Primary School had 420 pupils" in page
    assert "whole year, from 1 September 2026 to 31 August 2027" in page
    assert "Core membership: £7,980.00" in page
    assert "Standard membership: £373.80" in page
    assert "420 pupils × £19.00 = £7,980.00" in page
    assert "420 pupils × £0.89 = £373.80" in page
    assert "band 211–500 pupils: £3,000.00" in page
    assert "primary school: £2,100.00" in page
    # What each tier includes, and each scheme in words.
    assert "Includes: Peer review, 1 review." in page
    assert "£0.89 a pupil, at least £250.00 and at most £2,500.00" in page
    # Tier codes are the partnership file's, not the school's business.
    for code in ("banded", "subscription", 'value="core"'):
        assert code not in page
    assert school.name in page


def test_a_year_under_way_is_priced_as_joining_today_and_a_missing_count_is_explained(
    tiers, on_day
):
    on_day(date(2026, 12, 2))
    SchoolFactory(name="Alpha Primary School", urn="123456", pupils=420)
    page = text(get("/fees/?urn=123456"))
    assert "pays for the 9 months left in the year" in page
    assert "joined in December: 9/12 of £7,980.00 = £5,985.00" in page

    SchoolFactory(name="New Free School", urn="654321", pupils=None)
    page = text(get("/fees/?urn=654321"))
    assert "The register has no pupil count for New Free School on or before the census" in page
    assert "Cannot be worked out: no pupil count at the census date 15 January 2026." in page


def test_a_count_from_an_earlier_census_says_which(tiers, on_day):
    school = SchoolFactory(name="Alpha Primary School", urn="123456", pupils=None)
    PupilCount.objects.create(school=school, census_date=date(2025, 1, 16), pupils=398)
    page = text(get("/fees/?urn=123456"))
    assert "The latest count for Alpha Primary School on or before then is 398 pupils" in page
    assert "from 16 January 2025" in page


def test_next_years_fees_are_shown_once_loaded(tiers, next_year, on_day):
    FeeScheme.objects.create(
        tier=tiers["core"], year=next_year, kind="per_pupil", rate=Decimal("20")
    )
    SchoolFactory(urn="123456", pupils=420)
    page = text(get("/fees/?urn=123456"))
    assert "Fees for 2026/27" in page and "Fees for 2027/28" in page
    assert "420 pupils × £20.00 = £8,400.00" in page


def test_an_unknown_urn_is_a_clear_not_found_page(tiers, on_day):
    for urn in ("999999", "not-a-urn", ""):  # an empty one too: a 404, never a 500
        response = get(f"/fees/?urn={urn}")
        assert response.status_code == 404
        assert "There is no open school with" in text(response)
        # The visitor can search again from the same page.
        assert 'name="q"' in response.content.decode()


def test_a_closed_school_is_neither_found_nor_priced(tiers, on_day):
    SchoolFactory(name="Old Primary School", urn="111111", status=School.Status.CLOSED)
    assert get("/fees/?urn=111111").status_code == 404
    assert "No school found" in text(get("/fees/?q=Old+Primary"))


def test_a_urn_typed_in_the_search_goes_straight_to_the_school(tiers, on_day):
    SchoolFactory(urn="123456")
    response = get("/fees/?q=+123456+")
    assert response.status_code == 302
    assert response.url == "/fees/?urn=123456"
    assert "No school found" in text(get("/fees/?q=999999"))


def test_search_by_postcode_prefix_however_it_is_typed(tiers, on_day):
    SchoolFactory(name="Brookfield Primary School", postcode="UB8 3PJ")
    SchoolFactory(name="Cedars Park Primary School", postcode="UB3 6FA")
    for typed in ("ub8", "UB8 3", "ub83pj", "UB8 3PJ"):
        page = text(get(f"/fees/?q={typed}"))
        assert "1 school found" in page, typed
        assert "Brookfield Primary School" in page and "Cedars Park" not in page
    assert "UB8 3PJ, primary school, URN" in text(get("/fees/?q=UB8"))


def test_search_by_part_of_the_name_lists_at_most_twenty(tiers, on_day):
    for n in range(21):
        SchoolFactory(name=f"Holy Trinity School {n:02}")
    SchoolFactory(name="Brookfield Primary School")
    page = text(get("/fees/?q=trinity"))
    assert "More than 20 schools found" in page
    assert page.count("Holy Trinity School") == 20
    assert "Holy Trinity School 00" in page and "Holy Trinity School 20" not in page
    page = text(get("/fees/?q=brookFIELD"))
    assert "1 school found" in page and "Brookfield Primary School" in page


def test_a_search_too_short_or_empty_is_an_error_naming_the_field(tiers, on_day):
    page = text(get("/fees/?q=ab"))
    assert "<title>Error: Membership fees" in page
    assert "There is a problem" in page
    assert '<a href="#id_q">Enter at least 3 letters of the school&#x27;s name</a>' in page
    page = text(get("/fees/?q=+"))
    assert "Enter your school&#x27;s name, URN or postcode" in page


def test_without_a_school_the_page_says_how_each_fee_is_worked_out(tiers, on_day):
    page = text(get("/fees/"))
    assert "How fees are worked out for 2026/27" in page
    assert "£19.00 a pupil" in page
    assert "Up to 210 pupils £850.00, 211–500 pupils £3,000.00, over 500 pupils £13,000.00" in page
    assert "Primary schools £2,100.00, secondary schools £4,200.00; not available" in page
    assert "census of 15 January 2026" in page


def test_before_any_fees_are_published_the_page_says_so(membership_year, on_day):
    SchoolFactory(urn="123456", pupils=420)
    assert "has not published its membership fees yet" in text(get("/fees/"))
    assert "has not published its membership fees yet" in text(get("/fees/?urn=123456"))


def test_fee_schemes_in_words():
    per_pupil = rules.FeeTerms(kind=rules.PER_PUPIL, rate=Decimal("0.895"))
    assert rules.describe_terms(per_pupil) == "£0.895 a pupil"
    capped = rules.FeeTerms(kind=rules.PER_PUPIL, rate=Decimal("19"), maximum=Decimal("12500"))
    assert rules.describe_terms(capped) == "£19.00 a pupil, at most £12,500.00"
    flat = rules.FeeTerms(kind=rules.FLAT, flat=Decimal("1500"))
    assert rules.describe_terms(flat) == "£1,500.00 for every school"
    banded = rules.FeeTerms(kind=rules.BY_PUPILS, bands=(rules.Band(None, Decimal("850")),))
    assert rules.describe_terms(banded) == "Any number of pupils £850.00"
