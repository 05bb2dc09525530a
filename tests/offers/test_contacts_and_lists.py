"""Booking confirmations copy the school's CPD lead; the bookings list shows the date of
the support and, for a cancelled booking, its cancellation charge."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from offers import services_bookings as services
from offers.models import CourseSession
from schools.models import SchoolContact

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal


def book(school, offer, units, by, **kwargs):
    return services.book(
        school=school, offer=offer, units=D(units), by=by, academic_year=YEAR, **kwargs
    )


@pytest.fixture
def cpd_lead(school_a):
    return SchoolContact.objects.create(
        school=school_a,
        name="Priti Shah",
        email="cpd@alpha.example",
        role=SchoolContact.Role.OTHER,
        position="Deputy headteacher",
        is_cpd_lead=True,
    )


def test_a_booking_confirmation_copies_the_cpd_lead(
    school_a, head_a, cpd_session, members, cpd_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_places(
            school=school_a,
            session=cpd_session,
            delegates=["Ann Lee"],
            by=head_a,
            purchase_order="PO-31",
        )
    [message] = mail.outbox
    assert message.to == [head_a.email]
    assert message.cc == ["cpd@alpha.example"]
    assert message.subject == f"Booking {booking.reference} confirmed: Phonics leadership CPD"
    assert "on 3 February 2027 at Civic Centre, Uxbridge" in message.body
    assert "Charge: £120.00" in message.body
    assert "Purchase order: PO-31" in message.body


def test_a_requested_booking_is_confirmed_by_email_again_when_the_coordinator_confirms(
    school_a,
    head_a,
    coordinator,
    lle_days,
    members,
    standard_tier,
    cpd_lead,
    django_capture_on_commit_callbacks,
):
    members[school_a.pk] = standard_tier
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(school_a, lle_days, "1", head_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(booking=booking, by=coordinator)
    assert [(m.subject.split(":")[0], m.cc) for m in mail.outbox] == [
        (f"Booking {booking.reference} received", ["cpd@alpha.example"]),
        (f"Booking {booking.reference} confirmed", ["cpd@alpha.example"]),
    ]


def test_a_cpd_lead_who_has_left_is_not_copied(
    school_a, head_a, cpd_session, members, cpd_lead, django_capture_on_commit_callbacks
):
    cpd_lead.left_on = date(2026, 8, 31)
    cpd_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_places(school=school_a, session=cpd_session, delegates=["A"], by=head_a)
    assert [m.cc for m in mail.outbox] == [[]]


@pytest.fixture
def head_bookings(school_a, head_a, coordinator, cpd_course, peer_review, members, sam):
    """Booked in this order: a CPD place on 3 Feb 2027, a peer review deployed from
    10 Dec 2026, a peer review cancelled free, and one cancelled 5 days before its date
    (a 50% charge: peer reviews are free to cancel until 14 days before)."""
    later = CourseSession.objects.create(
        offer=cpd_course, date=date(2027, 2, 3), start_time=time(9), venue="Civic", places=5
    )
    cpd = services.book_places(school=school_a, session=later, delegates=["A"], by=head_a)
    review = book(school_a, peer_review, "1", head_a)
    services.deploy(
        work=review, practitioner=sam, dates=[date(2026, 12, 10)], days=D("1"), by=coordinator
    )
    free = book(school_a, peer_review, "1", head_a, preferred_start=date(2027, 3, 1))
    services.cancel(booking=free, by=head_a, today=date(2026, 11, 1))
    charged = book(school_a, peer_review, "1", head_a, preferred_start=date(2026, 11, 20))
    services.cancel(booking=charged, by=head_a, today=date(2026, 11, 15))
    return {"cpd": cpd, "review": review, "free": free, "charged": charged}


def rows(response):
    """Each row's cells as shown, keyed by column, with the booking's reference."""
    table = response.context["table"]
    return [
        {**{column.name: cell for column, cell in row.items()}, "reference": row.record.reference}
        for row in table.paginated_rows
    ]


def test_a_heads_list_shows_the_date_of_the_support_not_the_date_booked(
    client_for, head_a, head_bookings
):
    response = client_for(head_a).get(reverse("offers:booking_list"))
    page = response.content.decode()
    assert "Date of support" in page and ">Booked<" not in page
    dates = [(row["reference"], row["support_date"]) for row in rows(response)]
    b = head_bookings
    # Latest support first; the deployment's first day, the session's date, the preferred date.
    assert dates == [
        (b["free"].reference, "01 Mar 2027"),
        (b["cpd"].reference, "03 Feb 2027"),
        (b["review"].reference, "10 Dec 2026"),
        (b["charged"].reference, "20 Nov 2026"),
    ]


def test_the_list_sorts_by_the_date_of_the_support(client_for, head_a, head_bookings):
    response = client_for(head_a).get(reverse("offers:booking_list") + "?sort=support_date")
    assert [row["support_date"] for row in rows(response)] == [
        "20 Nov 2026",
        "10 Dec 2026",
        "03 Feb 2027",
        "01 Mar 2027",
    ]


def test_cancelled_bookings_show_their_cancellation_charge_in_the_list_and_export(
    client_for, coordinator, head_bookings
):
    b = head_bookings
    client = client_for(coordinator)
    charges = {
        row["reference"]: row["charge"] for row in rows(client.get(reverse("offers:booking_list")))
    }
    assert charges[b["free"].reference] == "No charge"
    # Half of the £1,200 non-member price, not the £1,200 booked.
    assert charges[b["charged"].reference].startswith("£600.00")
    assert "cancellation charge" in charges[b["charged"].reference]
    assert charges[b["review"].reference] == "£1,200.00"
    lines = client.get(reverse("offers:booking_list") + "?_export=csv").content.decode()
    exported = {line.split(",")[0]: line.split(",")[6] for line in lines.splitlines()[1:]}
    assert (exported[b["free"].reference], exported[b["charged"].reference]) == ("0.00", "600.00")


def test_the_school_records_bookings_say_no_charge_for_a_free_cancellation(
    client_for, coordinator, school_a, head_bookings
):
    page = client_for(coordinator).get(reverse("schools:detail", args=[school_a.urn]))
    html = page.content.decode()
    assert "No charge" in html and "£600.00" in html


def test_the_heads_list_queries_do_not_grow_with_rows(
    client_for, head_a, school_a, lle_days, members, standard_tier, django_assert_max_num_queries
):
    members[school_a.pk] = standard_tier
    for _ in range(2):
        book(school_a, lle_days, "1", head_a)
    client = client_for(head_a)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("offers:booking_list"))
    for _ in range(15):
        book(school_a, lle_days, "1", head_a, preferred_start=date(2027, 1, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("offers:booking_list"))
