"""Practitioners' day rates by designation and the brokerage split of a delivered day."""

from datetime import date
from decimal import Decimal

import pytest

from offers import services_bookings as services
from offers.models import DayRate, Deployment, Practitioner
from offers.rules_bookings import brokerage_split
from offers.services_brokerage import set_day_rates
from partnership.partnership_file import PartnershipFileError, load_text

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

D = Decimal
MON, TUE = date(2026, 11, 16), date(2026, 11, 17)
AFTER = date(2026, 11, 20)

HEAD = """
format: 1
partnership:
  name: Test partnership
  local_authority: {code: 312, name: Hillingdon}
"""


@pytest.mark.parametrize(
    "days, rate, share, value, home_school, partnership",
    [
        # 1.5 LLE days at £500, the partnership keeping 15%.
        ("1.5", "500", "15", "750.00", "637.50", "112.50"),
        # 85% of £100.10 is £85.085: half-up to £85.09, and the partnership keeps the rest.
        ("1", "100.10", "15", "100.10", "85.09", "15.01"),
        # 1.5 × £333.33 = £499.995: the value is rounded first, to £500.00.
        ("1.5", "333.33", "12.5", "500.00", "437.50", "62.50"),
        ("2", "350", "0", "700.00", "700.00", "0.00"),
        ("2", "350", "100", "700.00", "0.00", "700.00"),
    ],
)
def test_the_split_of_a_day_rate(days, rate, share, value, home_school, partnership):
    split = brokerage_split(days=D(days), day_rate=D(rate), partnership_percent=D(share))
    assert (split.value, split.home_school, split.partnership) == (
        D(value),
        D(home_school),
        D(partnership),
    )
    assert split.home_school + split.partnership == split.value


@pytest.fixture
def confirmed(school_a, head_a, coordinator, lle_days, members, standard_tier):
    members[school_a.pk] = standard_tier
    booking = services.book(
        school=school_a, offer=lle_days, units=D("3"), by=head_a, academic_year=YEAR
    )
    return services.confirm(booking=booking, by=coordinator)


@pytest.fixture
def rates(db):
    set_day_rates(rates={"SLE": D("350"), "LLE": D("500")}, partnership_percent=D("15"))


def deliver(work, practitioner, coordinator, days="1.5", dates=(MON, TUE)):
    deployment = services.deploy(
        work=work, practitioner=practitioner, dates=list(dates), days=D(days), by=coordinator
    )
    return services.record_delivery(deployment=deployment, by=coordinator, today=AFTER)


@pytest.mark.django_db
def test_a_released_practitioners_days_pay_their_home_school_its_share(
    confirmed, sam, school_b, coordinator, rates
):
    sam.home_school = school_b
    sam.save()
    deployment = deliver(confirmed, sam, coordinator)
    deployment.refresh_from_db()
    # 1.5 SLE days × £350 = £525.00; the home school is paid 85%: £446.25.
    assert (
        deployment.home_school,
        deployment.day_rate,
        deployment.home_school_percent,
        deployment.home_school_payment,
        deployment.cost,
    ) == (school_b, D("350.00"), D("85.00"), D("446.25"), D("446.25"))


@pytest.mark.django_db
def test_a_later_change_of_rate_or_home_school_leaves_delivered_days_alone(
    confirmed, sam, school_a, school_b, coordinator, rates
):
    sam.home_school = school_b
    sam.save()
    deployment = deliver(confirmed, sam, coordinator)
    set_day_rates(rates={"SLE": D("400")}, partnership_percent=D("20"))
    sam.home_school = school_a
    sam.save()
    deployment = Deployment.objects.get(pk=deployment.pk)
    assert (deployment.home_school, deployment.home_school_payment) == (school_b, D("446.25"))


@pytest.mark.django_db
def test_without_a_home_school_or_a_rate_the_day_cost_is_the_cost(
    confirmed, sam, rita, school_b, coordinator
):
    # Sam has a home school but SLE has no day rate; Rita (£500 a day) has no home school.
    set_day_rates(rates={"LLE": D("500")}, partnership_percent=D("15"))
    sam.home_school = school_b
    sam.save()
    first = deliver(confirmed, sam, coordinator, days="1", dates=[MON])
    rita.designation = Practitioner.Designation.LLE
    rita.save()
    second = services.deploy(
        work=confirmed,
        practitioner=rita,
        dates=[date(2026, 11, 18)],
        days=D("1"),
        by=coordinator,
    )
    second = services.record_delivery(deployment=second, by=coordinator, today=AFTER)
    assert (first.cost, first.home_school_payment, first.home_school_id) == (
        D("450.00"),
        None,
        None,
    )
    assert (second.cost, second.home_school_payment) == (D("500.00"), None)


@pytest.mark.django_db
def test_the_partnership_file_sets_the_day_rates_and_the_share():
    load_text(HEAD + "brokerage:\n  partnership_share: '12.5'\n  day_rates: {SLE: 350, NLE: 650}\n")
    assert sorted(
        DayRate.objects.values_list("designation", "day_rate", "partnership_percent")
    ) == [("NLE", D("650.00"), D("12.50")), ("SLE", D("350.00"), D("12.50"))]
    # A file naming only the LLE rate leaves the others as they are.
    load_text(HEAD + 'brokerage:\n  partnership_share: "10"\n  day_rates: {LLE: "500"}\n')
    assert dict(DayRate.objects.values_list("designation", "partnership_percent")) == {
        "LLE": D("10.00"),
        "NLE": D("12.50"),
        "SLE": D("12.50"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section, problem",
    [
        (
            'partnership_share: "120"\n  day_rates: {SLE: "350"}',
            "brokerage.partnership_share: must be a percentage between 0 and 100",
        ),
        ("partnership_share: 10\n  day_rates: {XLE: 350}", "brokerage.day_rates.XLE: unknown key"),
        (
            "partnership_share: 10\n  day_rates: {SLE: lots}",
            "brokerage.day_rates.SLE: not a number",
        ),
        ('day_rates: {SLE: "350"}', "brokerage.partnership_share: is required"),
    ],
)
def test_a_wrong_brokerage_section_is_refused_with_its_path(section, problem):
    with pytest.raises(PartnershipFileError) as refused:
        load_text(HEAD + "brokerage:\n  " + section + "\n")
    assert problem in refused.value.problems
    assert not DayRate.objects.exists()
