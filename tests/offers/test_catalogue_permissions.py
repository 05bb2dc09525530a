"""Who may open each catalogue page: every URL, every role."""

import pytest
from django.urls import reverse

from offers.models import Offer, Tier

from . import catalogue_factories as make

pytestmark = pytest.mark.django_db

ROLES = ["head_a", "head_b", "coordinator", "finance_officer", "board_member", "practitioner_user"]


@pytest.fixture
def catalogue(partnership_record):
    data = make.hillingdon_catalogue()
    data["practitioner"] = make.practitioner(by=data["hash"])
    data["tier"] = make.tier(includes=[(data["review"], "1")])
    return data


def browse_urls(catalogue):
    return [
        reverse("offers:catalogue"),
        reverse("offers:catalogue") + "?strand=core&category=primary",
        reverse("offers:catalogue") + "?_export=csv",
        reverse("offers:offer_detail", args=["peer-review"]),
    ]


def manage_urls(catalogue):
    return [
        reverse("offers:manage"),
        reverse("offers:manage_providers"),
        reverse("offers:manage_providers") + "?_export=csv",
        reverse("offers:manage_provider_create"),
        reverse("offers:manage_provider_edit", args=["hash"]),
        reverse("offers:manage_practitioners"),
        reverse("offers:manage_practitioners") + "?_export=csv",
        reverse("offers:manage_practitioner_create"),
        reverse("offers:manage_practitioner_edit", args=[catalogue["practitioner"].pk]),
        reverse("offers:manage_offers"),
        reverse("offers:manage_offers") + "?_export=csv",
        reverse("offers:manage_offer_create"),
        reverse("offers:manage_offer_edit", args=["peer-review"]),
        reverse("offers:manage_tiers"),
        reverse("offers:manage_tiers") + "?_export=csv",
        reverse("offers:manage_tier_create"),
        reverse("offers:manage_tier_edit", args=["standard"]),
    ]


def test_anyone_may_browse_the_offer_without_signing_in(client_for, catalogue):
    client = client_for(None)
    for url in browse_urls(catalogue):
        assert client.get(url).status_code == 200, url
    # What an offer costs the partnership is for the people who run its accounts.
    page = client.get(reverse("offers:offer_detail", args=["health-check"])).content.decode()
    assert "Prices per visit" in page
    assert "Unit cost" not in page and "£350.00" not in page


def test_a_withdrawn_offer_is_not_shown_to_anyone_but_the_coordinator(
    client_for, catalogue, head_a, coordinator
):
    Offer.objects.filter(code="peer-review").update(active=False)
    url = reverse("offers:offer_detail", args=["peer-review"])
    assert client_for(None).get(url).status_code == 404
    assert client_for(head_a).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


def test_anonymous_people_are_sent_to_sign_in_from_every_management_page(client_for, catalogue):
    client = client_for(None)
    for url in manage_urls(catalogue):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_anonymous_posts_change_nothing(client_for, catalogue):
    response = client_for(None).post(
        reverse("offers:manage_provider_create"), {"code": "new", "name": "New"}
    )
    assert response.status_code == 302
    assert not catalogue["hash"].__class__.objects.filter(code="new").exists()


@pytest.mark.parametrize("who", ROLES)
def test_every_signed_in_role_may_browse_the_catalogue(client_for, request, catalogue, who):
    client = client_for(request.getfixturevalue(who))
    for url in browse_urls(catalogue):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", [r for r in ROLES if r != "coordinator"])
def test_only_the_coordinator_may_manage_the_offer(client_for, request, catalogue, who):
    client = client_for(request.getfixturevalue(who))
    for url in manage_urls(catalogue):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("offers:manage_provider_create"), {"code": "new", "name": "New"})
    assert response.status_code == 403
    response = client.post(
        reverse("offers:manage_provider_edit", args=["hash"]), {"code": "hash", "name": "Renamed"}
    )
    assert response.status_code == 403
    catalogue["hash"].refresh_from_db()
    assert catalogue["hash"].name == "HASH / Primary Forum"
    for url in (
        reverse("offers:manage_offer_create"),
        reverse("offers:manage_offer_edit", args=["peer-review"]),
        reverse("offers:manage_practitioner_create"),
        reverse("offers:manage_practitioner_edit", args=[catalogue["practitioner"].pk]),
        reverse("offers:manage_tier_create"),
        reverse("offers:manage_tier_edit", args=["standard"]),
    ):
        assert client.post(url, {"code": "changed", "name": "Changed"}).status_code == 403, url
    assert not Offer.objects.filter(name="Changed").exists()
    assert not Tier.objects.filter(name="Changed").exists()


def test_the_coordinator_may_open_every_page(client_for, coordinator, catalogue):
    client = client_for(coordinator)
    for url in browse_urls(catalogue) + manage_urls(catalogue):
        assert client.get(url).status_code == 200, url


def test_a_missing_offer_is_not_found(client_for, head_a, catalogue):
    assert (
        client_for(head_a).get(reverse("offers:offer_detail", args=["nothing"])).status_code == 404
    )


def test_a_withdrawn_offer_is_hidden_from_schools_but_not_from_the_coordinator(
    client_for, head_a, coordinator, catalogue
):
    catalogue["review"].active = False
    catalogue["review"].save()
    url = reverse("offers:offer_detail", args=["peer-review"])
    assert client_for(head_a).get(url).status_code == 404
    assert client_for(coordinator).get(url).status_code == 200


def test_missing_records_on_manage_pages_are_not_found(client_for, coordinator, catalogue):
    client = client_for(coordinator)
    assert client.get(reverse("offers:manage_provider_edit", args=["none"])).status_code == 404
    assert client.get(reverse("offers:manage_offer_edit", args=["none"])).status_code == 404
    assert client.get(reverse("offers:manage_tier_edit", args=["none"])).status_code == 404
    assert client.get(reverse("offers:manage_practitioner_edit", args=[999999])).status_code == 404


def test_headteachers_see_prices_for_their_own_school_only(
    client_for, head_a, head_b, school_b, catalogue
):
    school_b.category = "secondary"
    school_b.save()
    url = reverse("offers:offer_detail", args=["peer-review"])

    page_a = client_for(head_a).get(url).content.decode()
    page_b = client_for(head_b).get(url).content.decode()

    assert "Price for Alpha Primary School" in page_a
    assert "Member price for primary schools" in page_a
    assert "Beta Primary School" not in page_a
    assert "Price for Beta Primary School" in page_b
    assert "Member price for secondary schools" in page_b
    assert "Alpha Primary School" not in page_b
