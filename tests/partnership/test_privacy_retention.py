"""Retention: delegates' names go after their period; bookings and charges stay."""

from datetime import date

import pytest

from offers import services_bookings as services
from offers.models import Booking
from offers.models.bookings import DelegatePlace
from partnership.privacy import DELEGATE_NAMES, apply_retention_rules
from partnership.tasks import apply_retention_rules as retention_task
from tests.offers.booking_factories import cpd_course, cpd_session  # noqa: F401


@pytest.fixture
def booked(school_a, head_a, cpd_session):  # noqa: F811
    return services.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith", "Raj Patel"], by=head_a
    )


def names(booking):
    return sorted(booking.delegates.values_list("delegate_name", flat=True))


@pytest.mark.django_db
def test_names_are_kept_until_the_period_has_passed(booked):
    # The session is on 3 February 2027; the period is two years (an assumption).
    assert apply_retention_rules(today=date(2029, 2, 3))[DELEGATE_NAMES.kind] == 0
    assert names(booked) == ["Ann Smith", "Raj Patel"]


@pytest.mark.django_db
def test_names_past_the_period_are_removed_and_the_booking_and_its_price_stay(booked):
    price, units = booked.unit_price, booked.units
    assert apply_retention_rules(today=date(2029, 2, 4))[DELEGATE_NAMES.kind] == 2
    assert names(booked) == [services.REMOVED_DELEGATE_NAME] * 2
    booking = Booking.objects.get(pk=booked.pk)
    assert (booking.unit_price, booking.units, booking.status) == (price, units, booked.status)
    assert DelegatePlace.objects.filter(booking=booked).count() == 2


@pytest.mark.django_db
def test_the_scheduled_task_runs_the_rules_and_twice_changes_nothing_more(booked, settings):
    assert settings.CELERY_BEAT_SCHEDULE["apply-retention-rules"]["task"] == (
        "partnership.tasks.apply_retention_rules"
    )
    first = retention_task.delay().get()
    # Today is long before 2029, so nothing has passed its period yet.
    assert first[DELEGATE_NAMES.kind] == 0
    assert apply_retention_rules(today=date(2030, 1, 1))[DELEGATE_NAMES.kind] == 2
    assert apply_retention_rules(today=date(2030, 1, 1))[DELEGATE_NAMES.kind] == 0
