"""The catalogue's menu items and the coordinator's dashboard panel."""

import pytest
from django.urls import reverse

from offers import navigation_catalogue

from . import catalogue_factories as make

pytestmark = pytest.mark.django_db

ROLES = ["head_a", "finance_officer", "board_member", "practitioner_user"]


@pytest.mark.parametrize("who", ROLES)
def test_everyone_signed_in_gets_the_offer_catalogue_but_not_manage(request, who):
    user = request.getfixturevalue(who)
    labels = [(item.label, item.url) for item in navigation_catalogue.items(user)]
    assert labels == [("Offer catalogue", "/offer/")]
    assert navigation_catalogue.panels(user) == []


def test_the_coordinator_also_gets_manage_offer(coordinator):
    labels = [(item.label, item.url) for item in navigation_catalogue.items(coordinator)]
    assert labels == [("Offer catalogue", "/offer/"), ("Manage offer", "/offer/manage/")]


def test_anonymous_people_get_no_items():
    from django.contrib.auth.models import AnonymousUser

    assert navigation_catalogue.items(AnonymousUser()) == []
    assert navigation_catalogue.panels(AnonymousUser()) == []


def test_the_coordinator_dashboard_counts_offers_by_strand_providers_and_practitioners(
    client_for, coordinator, partnership_record
):
    catalogue = make.hillingdon_catalogue()
    make.offer("withdrawn", name="Withdrawn", active=False, member={"": "1"})
    make.practitioner("Ann", by=catalogue["la"])
    make.practitioner("Bo", by=catalogue["la"])
    make.practitioner("Cy", by=catalogue["la"], active=False)

    response = client_for(coordinator).get(reverse("dashboard"))

    page = response.content.decode()
    assert '<span class="portal-card__figure">1</span> core offer<' in page
    assert '<span class="portal-card__figure">2</span> additional offers<' in page
    assert '<span class="portal-card__figure">2</span> providers<' in page
    assert '<span class="portal-card__figure">2</span> practitioners available<' in page
    assert 'href="/offer/manage/"' in page


def test_the_menu_shows_the_catalogue_to_a_headteacher(client_for, head_a, partnership_record):
    page = client_for(head_a).get(reverse("dashboard")).content.decode()
    # The catalogue opens the headteacher's "Offer and bookings" section.
    assert 'href="/offer/">Offer and bookings</a>' in page
    assert "Manage offer" not in page


def test_only_the_closest_menu_item_is_marked_current(client_for, coordinator, partnership_record):
    response = client_for(coordinator).get(reverse("offers:manage"))
    section = response.context["nav_section"]
    assert section["label"] == "Offer and bookings"
    assert [entry["label"] for entry in section["items"] if entry["current"]] == ["Manage offer"]
    response = client_for(coordinator).get(reverse("offers:catalogue"))
    section = response.context["nav_section"]
    current = [entry["label"] for entry in section["items"] if entry["current"]]
    assert current == ["Offer catalogue"]
