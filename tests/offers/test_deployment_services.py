"""Deploying practitioners, recording delivery and LA-commissioned packages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from offers import services_bookings as services
from offers.models import Booking, CommissionedPackage, Deployment, DeploymentDay

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal
MON, TUE, WED = date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)
AFTER = date(2026, 11, 20)


@pytest.fixture
def confirmed(school_a, head_a, coordinator, lle_days, members, standard_tier):
    """School A's confirmed booking of 3 LLE days (2 included in its membership)."""
    members[school_a.pk] = standard_tier
    booking = services.book(
        school=school_a, offer=lle_days, units=D("3"), by=head_a, academic_year=YEAR
    )
    return services.confirm(booking=booking, by=coordinator)


def test_deploying_records_the_days_and_dates(confirmed, sam, coordinator):
    deployment = services.deploy(
        work=confirmed, practitioner=sam, dates=[TUE, MON], days=D("1.5"), by=coordinator
    )
    assert deployment.status == Deployment.Status.PLANNED
    assert deployment.academic_year == YEAR
    assert list(deployment.dates.values_list("date", flat=True)) == [MON, TUE]


def test_deploying_beyond_days_available_is_refused(confirmed, rita, coordinator):
    services.deploy(
        work=confirmed, practitioner=rita, dates=[MON, TUE, WED], days=D("3"), by=coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.deploy(
            work=confirmed,
            practitioner=rita,
            dates=[date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)],
            days=D("3"),
            by=coordinator,
        )
    assert refused.value.messages == [
        "Rita Patel has 2 days left in 2026/27; this deployment needs 3"
    ]
    assert Deployment.objects.count() == 1


def test_a_practitioner_in_another_school_that_day_is_refused(
    confirmed, sam, coordinator, school_b, head_b, lle_days, members, standard_tier
):
    services.deploy(work=confirmed, practitioner=sam, dates=[MON], days=D("1"), by=coordinator)
    members[school_b.pk] = standard_tier
    other = services.confirm(
        booking=services.book(
            school=school_b, offer=lle_days, units=D("1"), by=head_b, academic_year=YEAR
        ),
        by=coordinator,
    )
    with pytest.raises(ValidationError) as refused:
        services.deploy(work=other, practitioner=sam, dates=[MON], days=D("1"), by=coordinator)
    assert refused.value.messages == [
        "Sam Lee is already deployed on 16 November 2026 (at Alpha Primary School)"
    ]
    assert DeploymentDay.objects.filter(practitioner=sam).count() == 1


def test_a_cancelled_booking_frees_its_practitioner_days(confirmed, sam, coordinator, head_a):
    deployment = services.deploy(
        work=confirmed, practitioner=sam, dates=[MON], days=D("1"), by=coordinator
    )
    services.cancel(booking=confirmed, by=head_a, today=date(2026, 11, 1))
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.CANCELLED
    assert services.days_deployed(sam, YEAR) == D("0")
    assert not DeploymentDay.objects.filter(practitioner=sam, active=True).exists()


def test_first_deployment_day_decides_the_cancellation_charge(
    confirmed, sam, coordinator, lle_days
):
    from offers.models import OfferCancellationPolicy

    OfferCancellationPolicy.objects.create(
        offer=lle_days, free_until_days=10, charge_percent=D("25")
    )
    services.deploy(work=confirmed, practitioner=sam, dates=[MON], days=D("1"), by=coordinator)
    # 9 days before Monday 16 November: 25% of the one charged day (£500).
    assert services.cancellation_charge_for(confirmed, date(2026, 11, 7)) == D("125.00")
    assert services.cancellation_charge_for(confirmed, date(2026, 11, 6)) == D("0.00")


@pytest.mark.parametrize(
    "dates, days, message",
    [
        ([MON], "2", "Give one date for each day or half-day: 2 days need 2 dates"),
        ([MON, TUE], "0.3", "Enter days as whole or half days, for example 1 or 1.5"),
        ([date(2026, 11, 21)], "1", "21 November 2026 is a weekend"),
        ([date(2027, 9, 1)], "1", "1 September 2027 is outside the academic year 2026/27"),
    ],
)
def test_bad_deployments_are_refused_with_a_clear_message(
    confirmed, sam, coordinator, dates, days, message
):
    with pytest.raises(ValidationError) as refused:
        services.deploy(work=confirmed, practitioner=sam, dates=dates, days=D(days), by=coordinator)
    assert refused.value.messages == [message]


def test_only_confirmed_bookings_get_practitioners(
    school_a, head_a, coordinator, lle_days, members, standard_tier, sam
):
    members[school_a.pk] = standard_tier
    requested = services.book(
        school=school_a, offer=lle_days, units=D("1"), by=head_a, academic_year=YEAR
    )
    with pytest.raises(ValidationError, match="Only confirmed bookings"):
        services.deploy(work=requested, practitioner=sam, dates=[MON], days=D("1"), by=coordinator)


def test_delivery_freezes_the_cost_and_delivers_the_booking_when_its_days_are_done(
    confirmed, sam, rita, coordinator, practitioner_user
):
    first = services.deploy(
        work=confirmed, practitioner=sam, dates=[MON, TUE], days=D("2"), by=coordinator
    )
    second = services.deploy(
        work=confirmed, practitioner=rita, dates=[WED], days=D("1"), by=coordinator
    )
    first = services.record_delivery(deployment=first, by=practitioner_user, today=AFTER)
    assert first.cost == D("900.00")
    assert first.delivered_on == TUE
    assert first.confirmed_by == practitioner_user
    sam.day_cost = D("600")
    sam.save()
    first.refresh_from_db()
    assert first.cost == D("900.00")
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.CONFIRMED
    services.record_delivery(deployment=second, by=coordinator, today=AFTER)
    confirmed.refresh_from_db()
    assert confirmed.status == Booking.Status.DELIVERED
    assert confirmed.delivered_on == WED


def test_a_practitioner_cannot_confirm_someone_elses_days(
    confirmed, rita, coordinator, practitioner_user
):
    deployment = services.deploy(
        work=confirmed, practitioner=rita, dates=[MON], days=D("1"), by=coordinator
    )
    with pytest.raises(PermissionDenied):
        services.record_delivery(deployment=deployment, by=practitioner_user, today=AFTER)
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.PLANNED


def test_days_in_the_future_cannot_be_confirmed(confirmed, sam, coordinator, practitioner_user):
    deployment = services.deploy(
        work=confirmed, practitioner=sam, dates=[WED], days=D("1"), by=coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.record_delivery(deployment=deployment, by=practitioner_user, today=TUE)
    assert refused.value.messages == [
        "Days can be confirmed once they have happened: the last day is 18 November 2026"
    ]


def test_coordinator_marks_places_delivered(school_a, head_a, coordinator, peer_review, members):
    booking = services.book(
        school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR
    )
    services.mark_delivered(work=booking, by=coordinator, on=date(2026, 11, 10))
    booking.refresh_from_db()
    assert (booking.status, booking.delivered_on) == (Booking.Status.DELIVERED, date(2026, 11, 10))


@pytest.fixture
def concern_school(school_b):
    school_b.causing_concern = True
    school_b.concern_reason = "Ofsted: requires improvement"
    school_b.save()
    return school_b


def test_the_la_commissions_for_a_school_not_causing_concern_with_its_reason(
    school_a, coordinator, lle_days
):
    assert not school_a.causing_concern
    package = services.commission(
        school=school_a,
        offer=lle_days,
        units=D("2"),
        budget=D("5000"),
        by=coordinator,
        reason="NQT induction",
        academic_year=YEAR,
    )
    package.refresh_from_db()
    assert (package.reason, package.unit_price) == ("NQT induction", D("500.00"))


def test_commissioning_without_a_reason_is_refused_and_names_it(school_a, coordinator, lle_days):
    with pytest.raises(ValidationError) as refused:
        services.commission(
            school=school_a,
            offer=lle_days,
            units=D("2"),
            budget=D("5000"),
            by=coordinator,
            reason="  ",
            academic_year=YEAR,
        )
    assert refused.value.messages == ["Enter the reason the LA is commissioning this support"]
    assert CommissionedPackage.objects.count() == 0


def test_commissioning_beyond_the_budget_is_refused(concern_school, coordinator, lle_days):
    with pytest.raises(ValidationError) as refused:
        services.commission(
            school=concern_school,
            offer=lle_days,
            units=D("4"),
            budget=D("1500"),
            by=coordinator,
            reason="School causing concern",
            academic_year=YEAR,
        )
    assert refused.value.messages == [
        "4 × £500.00 = £2,000.00 is more than the budget of £1,500.00"
    ]
    assert CommissionedPackage.objects.count() == 0


def test_commissioned_package_takes_capacity(
    concern_school, coordinator, peer_review, school_a, head_a, members
):
    package = services.commission(
        school=concern_school,
        offer=peer_review,
        units=D("2"),
        budget=D("2000"),
        by=coordinator,
        reason="School causing concern",
        academic_year=YEAR,
    )
    assert package.unit_price == D("1000.00")
    booking = services.book(
        school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR
    )
    assert booking.status == Booking.Status.WAITING


def test_commissioned_package_is_deployed_and_delivered(concern_school, coordinator, lle_days, sam):
    package = services.commission(
        school=concern_school,
        offer=lle_days,
        units=D("1"),
        budget=D("500"),
        by=coordinator,
        reason="School causing concern",
        academic_year=YEAR,
    )
    deployment = services.deploy(
        work=package, practitioner=sam, dates=[MON], days=D("1"), by=coordinator
    )
    assert deployment.commissioned
    services.record_delivery(deployment=deployment, by=coordinator, today=AFTER)
    package.refresh_from_db()
    assert (package.status, package.delivered_on) == (CommissionedPackage.Status.DELIVERED, MON)
