"""Pure booking rules: no database."""

from datetime import date
from decimal import Decimal

import pytest

from offers import rules_bookings as rules

D = Decimal


def test_charge_is_units_less_included_times_the_unit_price():
    assert rules.booking_charge(units=D("3"), included_units=D("1"), unit_price=D("1000")) == D(
        "2000.00"
    )


def test_half_units_are_charged_to_the_penny():
    assert rules.booking_charge(units=D("1.5"), included_units=D("0"), unit_price=D("333.33")) == D(
        "500.00"
    )


def test_included_units_cannot_exceed_units():
    with pytest.raises(ValueError):
        rules.booking_charge(units=D("1"), included_units=D("2"), unit_price=D("10"))


def test_included_units_left_is_inclusion_less_used_never_negative():
    assert rules.included_units_left(inclusion=D("2"), already_used=D("0.5")) == D("1.5")
    assert rules.included_units_left(inclusion=D("1"), already_used=D("3")) == D("0")


def test_included_units_are_used_first_up_to_what_is_left():
    assert rules.units_included(units=D("3"), included_left=D("1")) == D("1")
    assert rules.units_included(units=D("1"), included_left=D("2")) == D("1")


FIRST = date(2027, 1, 27)


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2027, 1, 1), D("0.00")),  # 26 days before
        (date(2027, 1, 13), D("0.00")),  # exactly 14 days before: still free
        (date(2027, 1, 14), D("1000.00")),  # 13 days before: 50% of £2,000
        (date(2027, 1, 27), D("1000.00")),  # on the day
    ],
)
def test_cancellation_is_free_until_n_days_before_then_a_percentage(today, expected):
    charge = rules.cancellation_charge(
        charge=D("2000.00"),
        first_date=FIRST,
        today=today,
        free_until_days=14,
        charge_percent=D("50"),
    )
    assert charge == expected


def test_cancellation_percentage_rounds_half_up_to_the_penny():
    charge = rules.cancellation_charge(
        charge=D("100.05"), first_date=FIRST, today=FIRST, free_until_days=7, charge_percent=D("50")
    )
    assert charge == D("50.03")


def test_cancellation_without_a_policy_or_a_first_date_is_free():
    assert rules.cancellation_charge(
        charge=D("900"), first_date=FIRST, today=FIRST, free_until_days=None, charge_percent=None
    ) == D("0.00")
    assert rules.cancellation_charge(
        charge=D("900"), first_date=None, today=FIRST, free_until_days=14, charge_percent=D("50")
    ) == D("0.00")


def test_capacity_left_and_fits():
    assert rules.capacity_left(capacity=42, taken=D("40")) == D("2")
    assert rules.capacity_left(capacity=2, taken=D("3")) == D("0")
    assert rules.capacity_left(capacity=None, taken=D("99")) is None
    assert rules.fits(units=D("2"), left=D("2"))
    assert not rules.fits(units=D("3"), left=D("2"))
    assert rules.fits(units=D("300"), left=None)


def test_days_and_dates():
    assert rules.days_left(days_available=D("10"), days_deployed=D("8.5")) == D("1.5")
    assert rules.dates_needed(D("1.5")) == 2
    assert rules.dates_needed(D("0.5")) == 1
    assert rules.is_whole_or_half(D("2.5"))
    assert not rules.is_whole_or_half(D("0.3"))
    assert not rules.is_whole_or_half(D("0"))


def test_deployment_cost_is_days_times_day_cost():
    assert rules.deployment_cost(days=D("1.5"), day_cost=D("450.50")) == D("675.75")


@pytest.mark.parametrize(
    "unit, units, days, deliveries, done",
    [
        ("day", "3", "2", 2, False),
        ("day", "3", "3", 2, True),
        ("half-day", "3", "1.5", 2, True),
        ("visit", "2", "1", 1, False),
        ("visit", "2", "2", 2, True),
        ("review", "1", "1.5", 1, True),
        ("place", "5", "1", 1, True),
        ("day", "1", "0", 0, False),
    ],
)
def test_when_delivered_deployments_complete_the_work(unit, units, days, deliveries, done):
    assert (
        rules.work_delivered(
            unit=unit, units=D(units), days_delivered=D(days), deliveries=deliveries
        )
        is done
    )
