from decimal import Decimal

import pytest

from partnership.money import csv_money, format_money, money, money_up, parse_money


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("-2.675", "-2.68"),
        (7980, "7980.00"),
    ],
)
def test_money_rounds_half_up_to_the_penny(value, expected):
    assert money(value) == Decimal(expected)


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        money(0.1)


def test_money_up_rounds_towards_covering_the_cost():
    assert money_up(Decimal("12.341")) == Decimal("12.35")
    assert money_up(Decimal("12.34")) == Decimal("12.34")


@pytest.mark.parametrize(
    "text, expected", [("1,050", "1050"), ("£19.00", "19.00"), (850, "850"), (0.89, "0.89")]
)
def test_parse_money_reads_amounts_as_written(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "inf", True])
def test_parse_money_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_formats():
    assert format_money(Decimal("1234.5")) == "£1,234.50"
    assert format_money(Decimal("-5")) == "-£5.00"
    assert csv_money(Decimal("70000")) == "70000.00"
