from datetime import date

import pytest

from partnership.calendars import AcademicYear, FinancialYear, months_left_in_academic_year


def test_academic_year_runs_september_to_august():
    year = AcademicYear.parse("2026/27")
    assert (year.starts_on, year.ends_on) == (date(2026, 9, 1), date(2027, 8, 31))
    assert str(year.next()) == "2027/28"
    assert AcademicYear.containing(date(2027, 8, 31)) == year
    assert AcademicYear.containing(date(2027, 9, 1)) == year.next()


def test_financial_year_runs_april_to_march():
    year = FinancialYear.parse("2026-27")
    assert (year.starts_on, year.ends_on) == (date(2026, 4, 1), date(2027, 3, 31))
    assert FinancialYear.containing(date(2027, 3, 31)) == year
    assert year.months()[0] == date(2026, 4, 1) and year.months()[-1] == date(2027, 3, 1)


@pytest.mark.parametrize("text", ["2026/28", "2026-27", "26/27", "2026/2027", ""])
def test_academic_year_rejects_malformed_text(text):
    with pytest.raises(ValueError):
        AcademicYear.parse(text)


@pytest.mark.parametrize(
    "text", ["0-01", "0000-01", "0001-02", "1999-00", "2101-02", "9999-00", "2026/27"]
)
def test_financial_year_is_four_digits_from_2000_to_2100(text):
    with pytest.raises(ValueError, match="not a financial year"):
        FinancialYear.parse(text)


@pytest.mark.parametrize("text", ["0/01", "0000/01", "1999/00", "2101/02", "9999/00"])
def test_academic_year_is_four_digits_from_2000_to_2100(text):
    with pytest.raises(ValueError, match="not an academic year"):
        AcademicYear.parse(text)


def test_the_first_and_last_years_named_are_accepted():
    assert str(FinancialYear.parse("2000-01")) == "2000-01"
    assert FinancialYear.parse("2100-01").ends_on == date(2101, 3, 31)
    assert str(AcademicYear.parse("2100/01")) == "2100/01"


@pytest.mark.parametrize(
    "joining, months",
    [
        (date(2026, 9, 1), 12),
        (date(2026, 9, 30), 12),
        (date(2027, 1, 10), 8),
        (date(2027, 8, 31), 1),
    ],
)
def test_months_left_count_the_joining_month(joining, months):
    assert months_left_in_academic_year(joining) == months


@pytest.mark.parametrize("text", ["2026/27", "2026-27", " 2026 / 27 ", "2026 -27"])
def test_a_financial_year_may_be_typed_as_pages_or_files_write_it(text):
    assert str(FinancialYear.parse_typed(text)) == "2026-27"


@pytest.mark.parametrize("text", ["2026/28", "2026.27", "26/27", "9999/00", ""])
def test_a_typed_financial_year_must_still_be_one(text):
    with pytest.raises(ValueError, match="not a financial year like 2026/27"):
        FinancialYear.parse_typed(text)


def test_a_financial_year_on_pages_is_written_as_an_academic_year_is():
    assert FinancialYear.parse("2026-27").on_pages == "2026/27"
    assert FinancialYear(2099).on_pages == "2099/00"
