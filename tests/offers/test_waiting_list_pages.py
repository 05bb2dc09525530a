"""Waiting list pages: who may open each, the school's answer, the emailed link, the
coordinator's list (in order, offer out of turn, add places, history) and the setting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import services_bookings as bookings
from offers import services_waiting as services
from offers.models import Booking, WaitingListEvent
from partnership.models import Partnership
from tests.factories import SchoolFactory, school_user

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal


def book(school, offer, by, units="1"):
    return bookings.book(school=school, offer=offer, units=D(units), by=by, academic_year=YEAR)


@pytest.fixture
def offered(peer_review, members, school_a, head_a, school_b, head_b, partnership_record):
    """Peer review is full (two other schools); Beta Primary waits behind Alpha Primary, and a
    place freed by a cancellation is held for Alpha Primary."""
    first = None
    for n in range(2):
        school = SchoolFactory(name=f"Booked School {n}")
        made = book(school, peer_review, school_user(school))
        first = first or made
    alpha = book(school_a, peer_review, head_a)
    book(school_b, peer_review, head_b)
    bookings.cancel(booking=first, by=first.booked_by)
    alpha.refresh_from_db()
    assert alpha.status == Booking.Status.OFFERED
    return alpha


def text(response):
    return response.content.decode()


def list_url(offer):
    return reverse("offers:waiting_list_offer", args=[offer.pk]) + f"?year={YEAR}"


# Who may open what.


@pytest.mark.parametrize("who", ["head_a", "finance_officer", "board_member", "practitioner_user"])
def test_only_the_coordinator_opens_the_waiting_lists(request, client_for, offered, who):
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("offers:waiting_lists"),
        list_url(offered.offer),
        reverse("offers:booking_offer_place", args=[offered.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_a_head_answers_only_their_own_schools_place(client_for, offered, head_b, coordinator):
    url = reverse("offers:booking_place", args=[offered.pk])
    assert client_for(head_b).get(url).status_code == 403
    assert client_for(head_b).post(url, {"answer": "accept"}).status_code == 403
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    offered.refresh_from_db()
    assert offered.status == Booking.Status.OFFERED


def test_a_heads_dashboard_shows_only_their_own_schools_place_offered(
    client_for, offered, head_a, head_b
):
    link = reverse("offers:booking_place", args=[offered.pk])
    assert link in text(client_for(head_a).get(reverse("dashboard")))
    assert link not in text(client_for(head_b).get(reverse("dashboard")))


# The school's answer.


def test_the_head_sees_the_price_and_hold_then_accepts(client_for, offered, head_a):
    client = client_for(head_a)
    url = reverse("offers:booking_place", args=[offered.pk])
    page = text(client.get(url))
    assert "A place is offered: Peer review" in page
    assert "£1,200.00" in page
    assert services.when(offered.offer_expires_at) in page
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CONFIRMED
    detail = text(client.get(reverse("offers:booking_detail", args=[offered.pk])))
    assert f"You accepted the place: booking {offered.reference} is confirmed" in detail


def test_the_head_declines_after_confirming(client_for, offered, head_a):
    client = client_for(head_a)
    url = reverse("offers:booking_place", args=[offered.pk])
    assert "Yes, decline the place" in text(client.get(url + "?decline=1"))
    client.post(url, {"answer": "decline"})
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CANCELLED
    assert Booking.objects.get(school__name="Beta Primary School").status == "offered"


def test_a_lapsed_hold_is_passed_on_when_the_page_is_read(client_for, offered, head_a):
    Booking.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = client_for(head_a)
    page = text(client.get(reverse("offers:booking_place", args=[offered.pk])))
    assert "This place is no longer offered" in page
    offered.refresh_from_db()
    assert offered.status == Booking.Status.CANCELLED
    assert Booking.objects.get(school__name="Beta Primary School").status == "offered"


# The link in the email.


def test_the_emailed_link_shows_the_offer_without_signing_in_but_never_accepts(client_for, offered):
    url = reverse("offers:place_offer_link", args=[services.place_offer_token(offered)])
    response = client_for(None).get(url)
    assert response.status_code == 200
    page = text(response)
    assert "A place is offered: Peer review" in page
    assert "Sign in to accept or decline" in page
    assert "£" not in page  # the price is shown to the school signed in, not to the link
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert client_for(None).post(url, {"answer": "accept"}).status_code in (200, 405)
    offered.refresh_from_db()
    assert offered.status == Booking.Status.OFFERED


def test_the_link_takes_the_schools_head_to_the_answer_page(client_for, offered, head_a, head_b):
    url = reverse("offers:place_offer_link", args=[services.place_offer_token(offered)])
    response = client_for(head_a).get(url)
    assert response.status_code == 302
    assert response.url == reverse("offers:booking_place", args=[offered.pk])
    assert client_for(head_b).get(url).status_code == 403


def test_an_altered_link_finds_nothing_and_an_answered_one_says_so(client_for, offered, head_a):
    token = services.place_offer_token(offered)
    bad = reverse("offers:place_offer_link", args=[token[:-3] + "abc"])
    assert client_for(None).get(bad).status_code == 404
    services.accept_place(booking=offered, by=head_a)
    url = reverse("offers:place_offer_link", args=[token])
    assert "This place is no longer offered" in text(client_for(None).get(url))


# The coordinator's list.


def test_the_coordinator_sees_the_list_in_order_with_the_place_held_and_history(
    client_for, offered, coordinator
):
    page = text(client_for(coordinator).get(list_url(offered.offer)))
    assert "Waiting list: Peer review" in page
    held = page.index("Places offered, awaiting an answer")
    waiting = page.index("Schools waiting, in order")
    assert held < page.index("Alpha Primary School") < waiting
    assert waiting < page.index("Beta Primary School")
    history = page[page.index(">History<") :]
    assert history.count("Joined the waiting list") == 2
    assert history.count("Place offered") == 1
    assert "The portal" in history  # the place was offered by the portal, not a person


def test_the_coordinator_offers_a_place_out_of_turn_and_must_say_why(
    client_for, peer_review, members, coordinator, school_a, head_a, school_b, head_b
):
    booked = []
    for n in range(2):
        school = SchoolFactory(name=f"Booked School {n}")
        booked.append(book(school, peer_review, school_user(school)))
    big = book(school_a, peer_review, head_a, units="2")
    chosen = book(school_b, peer_review, head_b)
    client = client_for(coordinator)
    url = reverse("offers:booking_offer_place", args=[chosen.pk])
    no_room = client.post(url, {"reason": "Causing concern"})
    assert "Beta Primary School booked 1 and 0 are free: add places first" in text(no_room)
    # One place frees: Alpha Primary (first, but waiting for two) keeps its turn.
    bookings.cancel(booking=booked[0], by=booked[0].booked_by)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert 'href="#id_reason">Enter why this school is offered a place' in text(refused)
    client.post(url, {"reason": "Causing concern: needs the review this term"})
    chosen.refresh_from_db()
    big.refresh_from_db()
    assert (chosen.status, big.status, big.waiting_position) == ("offered", "waiting", 1)
    page = text(client.get(list_url(peer_review)))
    assert "Place offered out of turn" in page
    assert "Causing concern: needs the review this term" in page


def test_adding_places_with_bad_input_shows_the_error_by_the_field(
    client_for, offered, coordinator
):
    response = client_for(coordinator).post(list_url(offered.offer), {"places": "0"})
    assert response.status_code == 400
    assert 'href="#id_places">Add 1 place or more' in text(response)


def test_adding_a_place_offers_it_to_the_next_school(client_for, offered, coordinator):
    response = client_for(coordinator).post(list_url(offered.offer), {"places": "1"}, follow=True)
    assert "1 place added: offered to Beta Primary School" in text(response)
    assert WaitingListEvent.objects.filter(kind="places", note="From 2 to 3").exists()


def test_the_list_page_queries_do_not_grow_with_the_list(
    client_for, offered, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with django_assert_max_num_queries(30) as few:
        client.get(list_url(offered.offer))
    for n in range(10):
        school = SchoolFactory(name=f"More School {n}")
        book(school, offered.offer, school_user(school))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(list_url(offered.offer))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("offers:waiting_lists") + f"?year={YEAR}")


# The partnership's setting.


def test_the_coordinator_changes_the_hold_on_the_settings_page(
    client_for, coordinator, finance_officer, partnership_record
):
    url = reverse("partnership_waiting_lists")
    assert client_for(finance_officer).get(url).status_code == 403
    client = client_for(coordinator)
    refused = client.post(url, {"waiting_list_hold_hours": "0"})
    assert refused.status_code == 400
    assert "Hold a place for 1 hour or more" in text(refused)
    client.post(url, {"waiting_list_hold_hours": "24"})
    assert Partnership.current().waiting_list_hold_hours == 24
    settings_page = text(client.get(reverse("partnership_settings")))
    assert "held for the next school for 24 hours" in settings_page


def test_the_heads_booking_list_says_until_when_the_place_is_held(client_for, offered, head_a):
    page = text(client_for(head_a).get(reverse("offers:booking_list")))
    held = timezone.localtime(offered.offer_expires_at)
    assert f"Place offered, held until {held:%d %b %Y %H:%M}" in page
