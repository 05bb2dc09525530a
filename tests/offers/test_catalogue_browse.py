"""Browsing the offer catalogue: filters, prices for the viewer, the offer page, the CSV."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import membership_port
from offers.selectors_catalogue import catalogue_offers, offer_price, unit_cost
from offers.services_catalogue import set_cancellation_policy
from partnership.calendars import AcademicYear

from . import catalogue_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(partnership_record):
    return make.hillingdon_catalogue()


def rows(response):
    return [offer.code for offer in response.context["table"].data]


def test_the_catalogue_lists_active_offers_core_first(client_for, board_member, catalogue):
    make.offer("old", name="Old offer", active=False, member={"": "1"})
    response = client_for(board_member).get(reverse("offers:catalogue"))
    assert rows(response) == ["health-check", "peer-review", "sle-network"]


def test_filter_by_strand(client_for, board_member, catalogue):
    response = client_for(board_member).get(reverse("offers:catalogue"), {"strand": "core"})
    assert rows(response) == ["health-check"]


def test_filter_by_provider(client_for, board_member, catalogue):
    response = client_for(board_member).get(
        reverse("offers:catalogue"), {"provider": catalogue["la"].pk}
    )
    assert rows(response) == ["health-check", "sle-network"]


def test_filter_by_phase_keeps_offers_for_every_school(client_for, board_member, catalogue):
    client = client_for(board_member)
    primary = client.get(reverse("offers:catalogue"), {"category": "primary"})
    secondary = client.get(reverse("offers:catalogue"), {"category": "secondary"})
    assert rows(primary) == ["health-check", "peer-review"]
    assert rows(secondary) == ["health-check", "peer-review", "sle-network"]


def test_filters_combine(client_for, finance_officer, catalogue):
    response = client_for(finance_officer).get(
        reverse("offers:catalogue"),
        {"strand": "additional", "provider": catalogue["la"].pk, "category": "secondary"},
    )
    assert rows(response) == ["sle-network"]


def test_a_headteacher_sees_their_schools_member_and_non_member_prices(
    client_for, head_a, catalogue
):
    response = client_for(head_a).get(reverse("offers:catalogue"))
    page = response.content.decode()
    assert "Prices are for Alpha Primary School, a primary school." in page
    table = response.context["table"]
    prices = {
        row.record.code: (row.get_cell("member_price"), row.get_cell("non_member_price"))
        for row in table.rows
    }
    assert prices == {
        "health-check": ("£0.00", "Not sold to non-members"),
        "peer-review": ("£1,000.00", "£1,200.00"),
        "sle-network": ("£350.00", "£450.00"),
    }


def test_a_school_category_with_no_price_reads_price_on_request(
    client_for, head_b, school_b, catalogue
):
    school_b.category = "special"
    school_b.save()
    table = client_for(head_b).get(reverse("offers:catalogue")).context["table"]
    review = next(row for row in table.rows if row.record.code == "peer-review")
    assert review.get_cell("member_price") == "Price on request"
    assert review.get_cell("non_member_price") == "Not sold to non-members"


def test_others_see_every_price_until_they_choose_a_phase(client_for, coordinator, catalogue):
    client = client_for(coordinator)
    table = client.get(reverse("offers:catalogue")).context["table"]
    review = next(row for row in table.rows if row.record.code == "peer-review")
    assert review.get_cell("member_price") == "Primary £1,000.00; Secondary £1,600.00"

    table = client.get(reverse("offers:catalogue"), {"category": "secondary"}).context["table"]
    review = next(row for row in table.rows if row.record.code == "peer-review")
    assert review.get_cell("member_price") == "£1,600.00"
    assert review.get_cell("non_member_price") == "£1,900.00"


def test_capacity_is_shown_in_units_or_unlimited(client_for, board_member, catalogue):
    table = client_for(board_member).get(reverse("offers:catalogue")).context["table"]
    capacity = {row.record.code: row.get_cell("capacity") for row in table.rows}
    assert capacity["peer-review"] == "42 reviews"
    assert capacity["health-check"] == "Unlimited"


def test_the_catalogue_downloads_as_csv_priced_for_the_chosen_phase(
    client_for, board_member, catalogue
):
    response = client_for(board_member).get(
        reverse("offers:catalogue"), {"category": "secondary", "_export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8").strip().splitlines()
    assert lines == [
        "Offer,Member price,Non-member price,Per,Capacity,Strand,Provider",
        "Adviser health check visit,0.00,,visit,,Core offer,"
        "Local Authority School Improvement Team",
        "Peer review,1600.00,1900.00,review,42,Additional offer,HASH / Primary Forum",
        "SLE subject network,350.00,450.00,network,,Additional offer,"
        "Local Authority School Improvement Team",
    ]


def test_the_offer_page_shows_everything_a_school_needs(client_for, head_a, catalogue):
    response = client_for(head_a).get(reverse("offers:offer_detail", args=["peer-review"]))
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Peer review</h1>' in page
    assert "A team of heads reviews your school." in page
    assert "HASH / Primary Forum" in page
    assert "42 reviews" in page
    assert response.context["your_member_price"].amount == 1000
    assert response.context["your_non_member_price"].amount == 1200
    assert response.context["member_prices"] == [("Primary", 1000), ("Secondary", 1600)]
    # Unit costs are the partnership's business, not the school's.
    assert "unit_costs" not in response.context
    assert "Unit cost to the partnership" not in page


def test_the_offer_page_warns_a_school_outside_its_phases(client_for, head_a, catalogue):
    page = (
        client_for(head_a)
        .get(reverse("offers:offer_detail", args=["sle-network"]))
        .content.decode()
    )
    assert "This offer is for secondary schools." in page


@pytest.mark.parametrize("who", ["coordinator", "finance_officer"])
def test_staff_see_unit_costs_on_the_offer_page(client_for, request, who, catalogue):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("offers:offer_detail", args=["health-check"])
    )
    assert response.context["unit_costs"] == [("All schools", 350)]
    assert "Unit cost to the partnership" in response.content.decode()


def test_offer_price_and_unit_cost_selectors(catalogue):
    review, visit = catalogue["review"], catalogue["visit"]
    assert str(offer_price(review, category="secondary", member=True)) == "1600.00"
    assert str(offer_price(review, category="primary", member=False)) == "1200.00"
    assert offer_price(review, category="special", member=True) is None
    assert offer_price(visit, category="special", member=False) is None
    assert str(unit_cost(visit, category="nursery")) == "350.00"
    assert unit_cost(catalogue["network"], category="secondary") is None


def test_pricing_the_whole_catalogue_takes_a_constant_number_of_queries(
    catalogue, django_assert_num_queries
):
    with django_assert_num_queries(2):
        offers = list(catalogue_offers())
        prices = [offer_price(o, category="primary", member=True) for o in offers]
        names = [o.provider.name for o in offers]
    assert len(prices) == len(names) == 3


@pytest.mark.parametrize("who", ["head_a", "coordinator"])
def test_the_catalogue_page_query_count_does_not_grow_with_offers(
    client_for, request, catalogue, who, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    client.get(reverse("offers:catalogue"))  # warm caches (partnership, session)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("offers:catalogue"))
    for n in range(30):
        make.offer(
            f"extra-{n}",
            name=f"Extra {n}",
            by=catalogue["la"],
            member={"": "100", "special": "80"},
            non_member={"": "120"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("offers:catalogue"))
    assert len(response.context["table"].rows) == 33


def test_a_headteacher_is_offered_a_book_this_button(client_for, head_a, board_member, catalogue):
    book = reverse("offers:booking_create")
    url = reverse("offers:offer_detail", args=["peer-review"])
    page = client_for(head_a).get(url).content.decode()
    assert f'href="{book}?offer=peer-review"' in page
    assert "Book this" not in client_for(board_member).get(url).content.decode()


def test_the_offer_page_states_the_cancellation_rule(client_for, head_a, catalogue):
    set_cancellation_policy(catalogue["review"], free_until_days=14, charge_percent=Decimal("50"))
    client = client_for(head_a)
    review = client.get(reverse("offers:offer_detail", args=["peer-review"])).content.decode()
    visit = client.get(reverse("offers:offer_detail", args=["health-check"])).content.decode()
    assert (
        "Free to cancel until 14 days before the first date; after that, 50% of the booking"
        in review
    )
    assert "Free to cancel at any time." in visit


@pytest.fixture
def alpha_is_a_member(school_a):
    """School A holds the Standard tier this year, as the membership app would say."""
    tier = make.tier("standard", "Standard membership")
    previous = membership_port._tier_lookup
    membership_port.register_tier_lookup(
        lambda school, year: tier if school.pk == school_a.pk else None
    )
    yield tier
    membership_port.register_tier_lookup(previous)


def test_a_member_school_is_told_it_pays_the_member_price(
    client_for, head_a, head_b, catalogue, alpha_is_a_member
):
    year = str(AcademicYear.containing(timezone.localdate()))
    url = reverse("offers:offer_detail", args=["peer-review"])
    page_a = client_for(head_a).get(url).content.decode()
    page_b = client_for(head_b).get(reverse("offers:catalogue")).content.decode()
    assert (
        f"Alpha Primary School is a member for {year} (Standard membership), "
        "so it pays the member price." in page_a
    )
    assert f"Beta Primary School is not a member for {year}, so it pays the non-member price." in (
        page_b
    )
