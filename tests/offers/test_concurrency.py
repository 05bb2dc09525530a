"""Two people at the same moment, on PostgreSQL: row locks decide, nothing is double-booked."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from offers import services_bookings as services
from offers.models import Booking, Deployment
from tests.conftest import requires_postgresql
from tests.factories import SchoolFactory, UserFactory, school_user

from .booking_factories import YEAR, make_offer, make_practitioner

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]
D = Decimal


def run_together(*calls):
    """Run each call in its own thread (own DB connection), released at the same instant."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # recorded for the test to assert on
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_schools_booking_the_last_place_at_once_get_one_place_and_one_waiting():
    offer = make_offer(
        "peer-review", name="Peer review", capacity=1, member={"": "1000"}, non_member={"": "1200"}
    )
    schools = [SchoolFactory(name=f"Race School {n}") for n in range(2)]
    heads = [school_user(school) for school in schools]
    results = run_together(
        *[
            (
                lambda s=school, h=head: services.book(
                    school=s, offer=offer, units=D("1"), by=h, academic_year=YEAR
                )
            )
            for school, head in zip(schools, heads, strict=True)
        ]
    )
    assert all(isinstance(result, Booking) for result in results), results
    assert sorted(Booking.objects.values_list("status", flat=True)) == ["confirmed", "waiting"]
    assert Booking.objects.get(status="waiting").waiting_position == 1


def test_the_same_practitioner_deployed_twice_on_one_date_at_once_is_deployed_once():
    offer = make_offer("lle-support", name="Extra LLE support", unit="day", non_member={"": "600"})
    coordinator = UserFactory(role="coordinator")
    practitioner = make_practitioner("Sam Lee")
    bookings = []
    for n in range(2):
        school = SchoolFactory(name=f"Deploy School {n}")
        booking = services.book(
            school=school, offer=offer, units=D("1"), by=school_user(school), academic_year=YEAR
        )
        bookings.append(services.confirm(booking=booking, by=coordinator))
    results = run_together(
        *[
            (
                lambda b=booking: services.deploy(
                    work=b,
                    practitioner=practitioner,
                    dates=[date(2026, 11, 16)],
                    days=D("1"),
                    by=coordinator,
                )
            )
            for booking in bookings
        ]
    )
    assert sorted(type(result).__name__ for result in results) == ["Deployment", "ValidationError"]
    refusal = next(r for r in results if isinstance(r, ValidationError))
    assert refusal.messages[0].startswith("Sam Lee is already deployed on 16 November 2026")
    assert Deployment.objects.count() == 1
