"""Bad input, generated: a clear error and nothing half-written, never a crash."""

import datetime
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from membership.rules import PER_PUPIL, FeeTerms, annual_fee, pro_rata
from partnership.calendars import AcademicYear, months_left_in_academic_year
from partnership.models import Partnership
from partnership.money import money
from partnership.partnership_file import PartnershipFileError, load_text
from schools.gias import GiasFileError
from schools.models import School
from schools.services import import_gias

CENSUS = datetime.date(2026, 1, 15)
YEAR = AcademicYear(2026)
pennies = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
db_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@given(
    pupils=st.integers(0, 5000),
    rate=pennies,
    floor=st.integers(0, 5000),
    span=st.integers(0, 50000),
)
@settings(max_examples=300, deadline=None)
def test_per_pupil_fee_is_pupils_times_rate_held_between_floor_and_cap(pupils, rate, floor, span):
    minimum, maximum = Decimal(floor), Decimal(floor + span)
    quote = annual_fee(
        FeeTerms(kind=PER_PUPIL, rate=rate, minimum=minimum, maximum=maximum),
        pupils=pupils,
        category="primary",
        census_date=CENSUS,
    )
    expected = min(max(money(pupils * rate), minimum), maximum)
    assert quote.ok and quote.amount == expected
    assert quote.amount == quote.amount.quantize(Decimal("0.01"))


@given(pupils=st.integers(1, 3000), rate=pennies, day=st.dates(YEAR.starts_on, YEAR.ends_on))
@settings(max_examples=300, deadline=None)
def test_pro_rata_fee_never_exceeds_the_full_fee_and_counts_the_joining_month(pupils, rate, day):
    full = annual_fee(
        FeeTerms(kind=PER_PUPIL, rate=rate), pupils=pupils, category="primary", census_date=CENSUS
    )
    joined = pro_rata(full, year=YEAR, joined_on=day)
    months = months_left_in_academic_year(day)
    assert joined.amount == money(full.amount * months / Decimal(12))
    assert Decimal(0) <= joined.amount <= full.amount


def _row_counts():
    return (Partnership.objects.count(), School.objects.count())


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "code",
                    "name",
                    "fee",
                    "per_pupil",
                    "by_pupils",
                    "up_to",
                    "tiers",
                    "offers",
                    "price",
                    "member",
                    "unit",
                    "x",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
documents = st.fixed_dictionaries(
    {"format": st.sampled_from([1, 2, "1", None])},
    optional={
        "partnership": yaml_values,
        "year": yaml_values,
        "tiers": yaml_values,
        "providers": yaml_values,
        "offers": yaml_values,
        "costs": yaml_values,
        "income": yaml_values,
        "unexpected": yaml_values,
    },
)


@pytest.mark.django_db
@db_settings
@given(document=documents)
# Found by this test: an offers section that is not a list crashed the tiers check.
@example(document={"format": 1, "offers": True, "tiers": [{"code": "core"}]})
def test_garbage_partnership_files_are_refused_with_paths_and_change_nothing(document):
    before = _row_counts()
    with pytest.raises(PartnershipFileError) as refused:
        load_text(yaml.safe_dump(document))
    assert refused.value.problems and all(": " in problem for problem in refused.value.problems)
    assert _row_counts() == before


@pytest.mark.django_db
@db_settings
@given(text=st.text(max_size=300))
def test_arbitrary_text_as_a_partnership_file_is_refused_not_crashed(text):
    before = _row_counts()
    try:
        load_text(text)
    except PartnershipFileError as refused:
        assert refused.problems
    assert _row_counts() == before


@pytest.mark.django_db
@db_settings
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_as_a_gias_file_are_refused_or_imported_whole(data):
    before = School.objects.count()
    try:
        report = import_gias(data)
    except GiasFileError as refused:
        assert str(refused)
        assert School.objects.count() == before
    else:
        assert School.objects.count() == before + report.created


@pytest.mark.django_db
def test_a_huge_file_without_the_gias_columns_is_refused_and_changes_nothing():
    data = b"a,b,c\n" + b"1,2,3\n" * 1_000_000
    with pytest.raises(GiasFileError):
        import_gias(data)
    assert School.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wrong_encodings_are_refused_with_a_reason(encoding):
    data = "URN,EstablishmentName\n100001,Alpha\n".encode(encoding)
    with pytest.raises(GiasFileError):
        import_gias(data)
    assert School.objects.count() == 0
