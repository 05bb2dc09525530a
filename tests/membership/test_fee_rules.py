"""The fee rules of partnership-file.md, as pure calculations (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from membership.rules import Band, FeeTerms, annual_fee, pro_rata, quote_fee
from partnership.calendars import AcademicYear

CENSUS = date(2026, 1, 15)
YEAR = AcademicYear(2026)
D = Decimal


def fee(terms, pupils=420, category="primary", joined_on=None):
    return quote_fee(
        terms, pupils=pupils, category=category, census_date=CENSUS, year=YEAR, joined_on=joined_on
    )


HARINGEY = FeeTerms(kind="per_pupil", rate=D("19"))
SURREY = FeeTerms(kind="per_pupil", rate=D("0.89"), minimum=D("250"), maximum=D("2500"))
BANDS = FeeTerms(
    kind="by_pupils",
    bands=(Band(210, D("850")), Band(500, D("3000")), Band(None, D("13000"))),
)
COLLEGIATE = FeeTerms(
    kind="by_category",
    by_category={"primary": D("2100"), "secondary": D("4200"), "special": D("1050")},
)


def test_per_pupil_is_pupils_times_rate_with_its_basis():
    quote = fee(HARINGEY)
    assert quote.amount == D("7980.00")
    assert quote.basis == "420 pupils × £19.00 = £7,980.00"
    assert quote.ok and quote.pupils == 420 and quote.census_date == CENSUS


def test_per_pupil_rounds_half_up_at_the_penny():
    quote = fee(FeeTerms(kind="per_pupil", rate=D("0.895")), pupils=333)
    # 333 × 0.895 = 298.035 exactly: half a penny goes up.
    assert quote.amount == D("298.04")
    assert quote.basis == "333 pupils × £0.895 = £298.04"


def test_per_pupil_half_penny_goes_up_not_to_even():
    # 1 × 0.125 = 0.125 -> 0.13 half-up (0.12 with banker's rounding).
    assert fee(FeeTerms(kind="per_pupil", rate=D("0.125")), pupils=1).amount == D("0.13")


def test_per_pupil_is_raised_to_the_minimum():
    quote = fee(SURREY, pupils=200)
    assert quote.amount == D("250.00")
    assert quote.basis == "200 pupils × £0.89 = £178.00, raised to the minimum of £250.00"


def test_per_pupil_at_exactly_the_minimum_is_not_raised():
    quote = fee(FeeTerms(kind="per_pupil", rate=D("1"), minimum=D("250")), pupils=250)
    assert quote.amount == D("250.00")
    assert quote.basis == "250 pupils × £1.00 = £250.00"


def test_per_pupil_is_lowered_to_the_maximum():
    quote = fee(SURREY, pupils=3000)
    assert quote.amount == D("2500.00")
    assert quote.basis == "3,000 pupils × £0.89 = £2,670.00, lowered to the maximum of £2,500.00"


def test_per_pupil_between_floor_and_cap_is_unchanged():
    assert fee(SURREY, pupils=420).amount == D("373.80")


def test_per_pupil_without_a_pupil_count_is_an_error_never_zero():
    quote = fee(HARINGEY, pupils=None)
    assert not quote.ok
    assert quote.amount is None
    assert quote.error == "no pupil count at the census date 15 January 2026"


def test_zero_pupils_is_a_count_and_gets_the_minimum():
    assert fee(SURREY, pupils=0).amount == D("250.00")


@pytest.mark.parametrize(
    "pupils, amount, basis",
    [
        (0, "850.00", "band up to 210 pupils: £850.00"),
        (210, "850.00", "band up to 210 pupils: £850.00"),
        (211, "3000.00", "band 211–500 pupils: £3,000.00"),
        (500, "3000.00", "band 211–500 pupils: £3,000.00"),
        (501, "13000.00", "band over 500 pupils: £13,000.00"),
        (2000, "13000.00", "band over 500 pupils: £13,000.00"),
    ],
)
def test_by_pupils_takes_the_first_band_whose_up_to_is_at_least_the_pupils(pupils, amount, basis):
    quote = fee(BANDS, pupils=pupils)
    assert quote.amount == D(amount)
    assert quote.basis == basis


def test_by_pupils_follows_file_order_not_sorted_order():
    # Validation forbids this order; the rule itself still takes the FIRST band that fits.
    terms = FeeTerms(kind="by_pupils", bands=(Band(500, D("3000")), Band(210, D("850"))))
    assert fee(terms, pupils=100).amount == D("3000.00")


def test_by_pupils_beyond_the_last_band_is_an_error():
    terms = FeeTerms(kind="by_pupils", bands=(Band(210, D("850")), Band(500, D("3000"))))
    quote = fee(terms, pupils=501)
    assert quote.error == "no band for 501 pupils"
    assert quote.amount is None


def test_by_pupils_without_a_pupil_count_is_an_error():
    assert fee(BANDS, pupils=None).error == "no pupil count at the census date 15 January 2026"


def test_a_single_open_band_covers_everyone():
    terms = FeeTerms(kind="by_pupils", bands=(Band(None, D("1200")),))
    assert fee(terms, pupils=5).basis == "band any number of pupils: £1,200.00"


@pytest.mark.parametrize(
    "category, amount, basis",
    [
        ("primary", "2100.00", "primary school: £2,100.00"),
        ("secondary", "4200.00", "secondary school: £4,200.00"),
        ("special", "1050.00", "special school: £1,050.00"),
    ],
)
def test_by_category(category, amount, basis):
    quote = fee(COLLEGIATE, category=category)
    assert (quote.amount, quote.basis) == (D(amount), basis)


def test_by_category_does_not_need_pupils():
    assert fee(COLLEGIATE, pupils=None).amount == D("2100.00")


def test_by_category_with_no_amount_for_the_category_is_an_error():
    quote = fee(COLLEGIATE, category="nursery")
    assert quote.error == "no fee for nursery schools"
    assert quote.amount is None


def test_by_category_for_a_school_without_category_is_an_error():
    assert fee(COLLEGIATE, category=None).error == "no category for this school in the register"


def test_flat_fee():
    quote = fee(FeeTerms(kind="flat", flat=D("1500")), pupils=None)
    assert (quote.amount, quote.basis) == (D("1500.00"), "flat fee: £1,500.00")


@pytest.mark.parametrize(
    "joined_on, amount, basis_end",
    [
        (date(2026, 9, 1), "7980.00", "420 pupils × £19.00 = £7,980.00"),
        (date(2026, 9, 20), "7980.00", "420 pupils × £19.00 = £7,980.00"),
        (date(2026, 10, 1), "7315.00", "joined in October: 11/12 of £7,980.00 = £7,315.00"),
        (date(2027, 1, 10), "5320.00", "joined in January: 8/12 of £7,980.00 = £5,320.00"),
        (date(2027, 8, 31), "665.00", "joined in August: 1/12 of £7,980.00 = £665.00"),
    ],
)
def test_mid_year_joining_is_pro_rata_counting_the_joining_month(joined_on, amount, basis_end):
    quote = fee(HARINGEY, joined_on=joined_on)
    assert quote.amount == D(amount)
    assert quote.basis.endswith(basis_end)


def test_joining_before_the_year_starts_pays_the_full_fee():
    assert fee(HARINGEY, joined_on=date(2026, 6, 30)).amount == D("7980.00")


def test_pro_rata_rounds_half_up_after_the_floor():
    # 250 × 8 / 12 = 166.666… -> 166.67
    quote = fee(SURREY, pupils=100, joined_on=date(2027, 1, 4))
    assert quote.amount == D("166.67")
    assert quote.basis == (
        "100 pupils × £0.89 = £89.00, raised to the minimum of £250.00; "
        "joined in January: 8/12 of £250.00 = £166.67"
    )


def test_pro_rata_rounds_half_up_at_the_penny():
    # £10.06 × 3/12 = 2.515 -> 2.52
    quote = fee(FeeTerms(kind="flat", flat=D("10.06")), joined_on=date(2027, 6, 1))
    assert quote.amount == D("2.52")


def test_pro_rata_keeps_an_error():
    quote = fee(HARINGEY, pupils=None, joined_on=date(2027, 1, 4))
    assert quote.error == "no pupil count at the census date 15 January 2026"


def test_joining_after_the_year_has_ended_is_an_error():
    quote = pro_rata(
        annual_fee(HARINGEY, pupils=420, category="primary", census_date=CENSUS),
        year=YEAR,
        joined_on=date(2027, 9, 1),
    )
    assert quote.error == "1 September 2027 is after the end of the 2026/27 year"


def test_amounts_are_decimals_with_two_places():
    amount = fee(SURREY, pupils=421).amount
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2
    assert amount == D("374.69")
