"""Each person's private calendar feed: what it holds for each role, its secret address,
resetting it, and the file calendar apps read."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from governance.models import Board, Meeting, Seat
from offers import services_bookings as bookings
from offers.models import CourseSession
from partnership import calendar_feed
from partnership.calendars import AcademicYear
from tests.offers.booking_factories import *  # noqa: F403 (fixtures)
from tests.offers.booking_factories import make_offer, make_practitioner

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=14)


def weekday(days_ahead):
    day = TODAY + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def diary(school_a, school_b, head_a, head_b, coordinator, sam, rita, board_member):
    """A course session each school booked, a deployment day at each school, a board meeting."""
    year = str(AcademicYear.containing(SOON))
    course = make_offer(
        "maths-cpd",
        name="Maths mastery CPD",
        unit="place",
        member={"": "90"},
        non_member={"": "90"},
    )
    session = CourseSession.objects.create(
        offer=course, date=SOON, start_time=datetime.time(9, 30), venue="Civic Centre", places=10
    )
    for school, head in ((school_a, head_a), (school_b, head_b)):
        bookings.book(
            school=school,
            offer=course,
            units=Decimal("1"),
            by=head,
            session=session,
            academic_year=year,
            delegates=[f"Delegate of {school.name}"],
        )
    support = make_offer(
        "lle-days", name="LLE support", unit="day", member={"": "500"}, non_member={"": "600"}
    )
    for school, head, practitioner, ahead in (
        (school_a, head_a, sam, 20),
        (school_b, head_b, rita, 21),
    ):
        booking = bookings.confirm(
            booking=bookings.book(
                school=school, offer=support, units=Decimal("1"), by=head, academic_year=year
            ),
            by=coordinator,
        )
        bookings.deploy(
            work=booking,
            practitioner=practitioner,
            dates=[weekday(ahead)],
            days=Decimal("1"),
            by=coordinator,
        )
    board = Board.objects.create(code="board", name="Partnership Board")
    Meeting.objects.create(
        board=board,
        title="Spring meeting",
        date=TODAY + datetime.timedelta(days=30),
        location="Town Hall",
    )
    return session


def titles(user):
    return [event.title for event in calendar_feed.events_for(user)]


def test_each_person_sees_only_their_own_dates(
    diary, head_a, coordinator, practitioner_user, board_member, finance_officer
):
    assert titles(head_a) == [
        "Maths mastery CPD",
        "Sam Lee: LLE support at Alpha Primary School",
    ]
    assert sorted(titles(coordinator)) == sorted(
        [
            "Maths mastery CPD",
            "Partnership Board: Spring meeting",
            "Rita Patel: LLE support at Beta Primary School",
            "Sam Lee: LLE support at Alpha Primary School",
        ]
    )
    assert titles(practitioner_user) == ["LLE support at Alpha Primary School"]
    assert titles(board_member) == ["Partnership Board: Spring meeting"]
    assert titles(finance_officer) == []


def test_a_headteacher_on_a_board_gets_its_meetings_without_a_link_they_cannot_open(diary, head_a):
    board = Board.objects.get()
    Seat.objects.create(
        board=board, code="primary-1", role=Seat.Role.HEAD_PRIMARY, holder_user=head_a
    )
    meeting = [event for event in calendar_feed.events_for(head_a) if "meeting" in event.title]
    assert [(event.title, event.path) for event in meeting] == [
        ("Partnership Board: Spring meeting", "")
    ]


def address_of(user):
    feed = calendar_feed.feed_for(user)
    return reverse("calendar_feed", args=[feed.key, calendar_feed.token_for(feed.key)])


def test_the_secret_address_gives_the_feed_without_signing_in(diary, head_a):
    response = Client().get(address_of(head_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Maths mastery CPD", "Sam Lee: LLE support at Alpha Primary School"}
    session = events["Maths mastery CPD"]
    # In London time, with the zone written out, so a calendar abroad shows it right.
    assert session["dtstart"].dt == datetime.datetime.combine(
        SOON, datetime.time(9, 30), calendar_feed.LONDON
    )
    assert session["dtstart"].params["TZID"] == "Europe/London"
    assert [zone["tzid"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(session["location"]) == "Civic Centre"
    assert str(session["url"]).startswith("http://testserver/offer/bookings/")
    day = events["Sam Lee: LLE support at Alpha Primary School"]
    assert day["dtstart"].dt == weekday(20)  # an all-day event
    # The same event keeps its UID from one download to the next.
    again = Calendar.from_ical(Client().get(address_of(head_a)).content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events.values()}


def test_a_wrong_token_or_a_reset_address_finds_nothing(diary, head_a, client_for):
    old = address_of(head_a)
    feed = calendar_feed.feed_for(head_a)
    assert Client().get(reverse("calendar_feed", args=[feed.key, "0" * 32])).status_code == 404
    client = client_for(head_a)
    response = client.post(reverse("calendar"))
    assert response.status_code == 302
    assert Client().get(old).status_code == 404
    new = address_of(head_a)
    assert new != old
    assert Client().get(new).status_code == 200
    page = client.get(reverse("calendar"))
    assert "http://testserver" + new in page.content.decode()


def test_an_account_that_was_closed_has_no_feed(diary, head_a):
    address = address_of(head_a)
    head_a.is_active = False
    head_a.save()
    assert Client().get(address).status_code == 404


def test_the_calendar_page_is_for_people_signed_in(
    client_for, head_a, coordinator, board_member, practitioner_user, finance_officer
):
    assert client_for(None).get(reverse("calendar")).status_code == 302
    for person in (head_a, coordinator, board_member, practitioner_user, finance_officer):
        response = client_for(person).get(reverse("calendar"))
        assert response.status_code == 200
        assert "Your calendar address" in response.content.decode()


def test_the_feed_costs_the_same_queries_however_many_dates(
    diary, head_a, coordinator, sam, django_assert_max_num_queries
):
    address = address_of(coordinator)
    with django_assert_max_num_queries(12) as few:
        Client().get(address)
    year = str(AcademicYear.containing(SOON))
    support = make_offer(
        "more-days", name="More days", unit="day", member={"": "500"}, non_member={"": "600"}
    )
    for ahead in range(30, 40):
        practitioner = make_practitioner(f"Practitioner {ahead}")
        booking = bookings.confirm(
            booking=bookings.book(
                school=head_a.school_contacts.get().school,
                offer=support,
                units=Decimal("1"),
                by=head_a,
                academic_year=year,
            ),
            by=coordinator,
        )
        bookings.deploy(
            work=booking,
            practitioner=practitioner,
            dates=[weekday(ahead)],
            days=Decimal("1"),
            by=coordinator,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = Client().get(address)
    assert response.content.decode().count("BEGIN:VEVENT") == 14


def test_an_address_outlives_a_key_rotation_while_the_old_key_is_a_fallback(
    diary, head_a, settings
):
    address = address_of(head_a)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert Client().get(address).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert Client().get(address).status_code == 404
