"""Places and dates in booking forms are held to what the course or offer holds and to the
membership year: a clear error on the field, nothing saved."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from offers import services_bookings as services
from offers.models import Booking, CourseSession, Deployment

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def thirty_places(cpd_course):
    return CourseSession.objects.create(
        offer=cpd_course,
        date=date(2027, 3, 3),
        start_time=time(9, 30),
        venue="Civic Centre, Uxbridge",
        places=30,
    )


def test_500_delegates_on_a_30_place_course_is_an_error_on_the_delegates(
    client_for, head_a, thirty_places
):
    names = "\n".join(f"Delegate {n}" for n in range(500))
    response = client_for(head_a).post(
        reverse("offers:session_book", args=[thirty_places.pk]), {"delegates": names}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["delegates"] == [
        "Book 30 places or fewer: the session has 30 places"
    ]
    assert not Booking.objects.exists()


def test_a_full_course_still_takes_a_booking_within_its_places_onto_the_waiting_list(
    head_a, school_a, thirty_places
):
    """Within the session's places but beyond what is left, the school waits its turn."""
    for n in range(29):
        services.book_places(school=school_a, session=thirty_places, delegates=[f"D{n}"], by=head_a)
    booking = services.book_places(
        school=school_a, session=thirty_places, delegates=["Ann", "Raj"], by=head_a
    )
    assert booking.status == Booking.Status.WAITING


def test_more_units_than_the_offer_has_in_the_year_is_an_error_on_the_units(
    client_for, head_a, peer_review
):
    response = client_for(head_a).post(
        reverse("offers:booking_create"), {"offer": peer_review.pk, "units": "500"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["units"] == [
        "Book 2 reviews or fewer: there are 2 in the year"
    ]
    assert not Booking.objects.exists()


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "01/08/2026", "01/09/2027"])
def test_a_preferred_first_date_outside_the_membership_year_is_an_error_on_it(
    client_for, head_a, peer_review, day
):
    # Today is in 2026/27 (1 September 2026 to 31 August 2027) while these dates are fixed.
    assert services.current_academic_year() == YEAR
    response = client_for(head_a).post(
        reverse("offers:booking_create"),
        {"offer": peer_review.pk, "units": "1", "preferred_start": day},
    )
    assert response.context["form"].errors["preferred_start"] == [
        "The preferred first date must be in the 2026/27 membership year, "
        "between 1 September 2026 and 31 August 2027"
    ]
    assert not Booking.objects.exists()


@pytest.fixture
def confirmed_places(head_a, school_a, cpd_session):
    return services.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith"], by=head_a
    )


@pytest.mark.parametrize("day", ["01/01/0001", "31/08/2026"])
def test_a_delivery_date_outside_the_membership_year_is_an_error_on_it(
    client_for, coordinator, confirmed_places, day
):
    assert confirmed_places.status == Booking.Status.CONFIRMED
    response = client_for(coordinator).post(
        reverse("offers:booking_deliver", args=[confirmed_places.pk]), {"delivered_on": day}
    )
    [error] = response.context["form"].errors["delivered_on"]
    assert error.startswith("The delivery date must be in the 2026/27 membership year")
    confirmed_places.refresh_from_db()
    assert confirmed_places.status == Booking.Status.CONFIRMED


def test_deployment_dates_outside_the_membership_year_are_an_error_on_the_dates(
    client_for, coordinator, head_a, school_a, lle_days, members, standard_tier, sam
):
    members[school_a.pk] = standard_tier
    booking = services.confirm(
        booking=services.book(
            school=school_a, offer=lle_days, units=D("1"), by=head_a, academic_year=YEAR
        ),
        by=coordinator,
    )
    response = client_for(coordinator).post(
        reverse("offers:booking_deploy", args=[booking.pk]),
        {"practitioner": sam.pk, "dates": "01/01/0001", "days": "1"},
    )
    [error] = response.context["form"].errors["dates"]
    assert error.startswith("1 January 0001 must be in the 2026/27 membership year")
    assert not Deployment.objects.exists()


def test_the_services_refuse_them_whoever_calls(
    head_a, school_a, coordinator, peer_review, thirty_places, confirmed_places
):
    with pytest.raises(ValidationError, match="Book 2 reviews or fewer"):
        services.book(school=school_a, offer=peer_review, units=D("3"), by=head_a)
    with pytest.raises(ValidationError, match="Book 30 places or fewer"):
        services.book_places(
            school=school_a,
            session=thirty_places,
            delegates=[f"D{n}" for n in range(31)],
            by=head_a,
        )
    with pytest.raises(ValidationError, match="The preferred first date must be in the 2026/27"):
        services.book(
            school=school_a,
            offer=peer_review,
            units=D("1"),
            by=head_a,
            preferred_start=date(1, 1, 1),
        )
    with pytest.raises(ValidationError, match="The delivery date must be in the 2026/27"):
        services.mark_delivered(work=confirmed_places, by=coordinator, on=date(2020, 1, 6))
    assert Booking.objects.count() == 1


def test_a_delivery_date_in_the_future_is_refused_on_its_field(
    client_for, coordinator, confirmed_places
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(coordinator).post(
        reverse("offers:booking_deliver", args=[confirmed_places.pk]),
        {"delivered_on": tomorrow.isoformat()},
    )
    page = response.content.decode()
    assert response.context["form"].errors["delivered_on"] == [
        "The delivery date must be today or in the past: record delivery once it has happened"
    ]
    assert 'href="#id_delivered_on"' in page
    confirmed_places.refresh_from_db()
    assert confirmed_places.status == Booking.Status.CONFIRMED


def test_the_delivery_date_is_a_date_picker_set_to_today(client_for, coordinator, confirmed_places):
    page = (
        client_for(coordinator)
        .get(reverse("offers:booking_deliver", args=[confirmed_places.pk]))
        .content.decode()
    )
    assert f'type="date" name="delivered_on" value="{timezone.localdate().isoformat()}"' in page


def test_a_missing_delivery_date_is_named(client_for, coordinator, confirmed_places):
    response = client_for(coordinator).post(
        reverse("offers:booking_deliver", args=[confirmed_places.pk]), {"delivered_on": ""}
    )
    assert response.context["form"].errors["delivered_on"] == ["Enter the delivery date"]
