"""What missed CPD places cost, as a pure rule (no database)."""

from decimal import Decimal

from offers.rules_bookings import missed_place_charges, rating_average

D = Decimal


def charges(**kwargs):
    values = {
        "charged_places": 3,
        "unit_price": D("90.00"),
        "late": 0,
        "absent": 0,
        "late_is_free": False,
        "charge_percent": D("50"),
        "no_show_charge": D("0"),
    }
    values.update(kwargs)
    return missed_place_charges(**values)


def test_everyone_came_costs_nothing_more():
    result = charges()
    assert result.replaced == 0 and result.charges == ()


def test_a_paid_place_cancelled_late_costs_the_policys_percentage_instead_of_its_price():
    result = charges(late=1)
    assert result.replaced == 1
    assert result.charges == (D("45.00"),)


def test_a_paid_place_whose_delegate_did_not_come_stays_charged_in_full_on_the_booking():
    result = charges(absent=2)
    assert result.replaced == 0
    assert result.charges == (D("0.00"), D("0.00"))


def test_free_places_missed_cost_the_no_show_charge_even_on_a_free_course():
    result = charges(charged_places=0, unit_price=D("0"), late=1, absent=1, no_show_charge=D("50"))
    assert result.replaced == 0
    assert result.charges == (D("50.00"), D("50.00"))


def test_charged_places_cover_late_cancellations_first_then_absences():
    # 1 of 3 places charged: the late cancellation takes it; the absence is a free place.
    result = charges(charged_places=1, late=1, absent=1, no_show_charge=D("25"))
    assert result.replaced == 1
    assert result.charges == (D("45.00"), D("25.00"))


def test_a_late_cancellation_free_to_the_day_costs_nothing():
    result = charges(late=2, late_is_free=True)
    assert result.replaced == 2
    assert result.charges == (D("0.00"), D("0.00"))


def test_ratings_average_to_one_place_half_up():
    assert rating_average(9, 2) == D("4.5")
    assert rating_average(13, 3) == D("4.3")
    assert rating_average(0, 0) is None


def test_places_on_a_free_course_are_free_places_whatever_the_booking_counts_as_charged():
    result = charges(charged_places=2, unit_price=D("0"), absent=1, no_show_charge=D("50"))
    assert result.replaced == 0
    assert result.charges == (D("50.00"),)
