"""Each practitioner's days this year: available, committed, delivered, left, and the alert
when they are over-committed, nearly full or under-used."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import services_bookings as services
from offers.rules_bookings import practitioner_use, share_of_year_gone
from offers.selectors_catalogue import practitioners_list
from partnership.calendars import AcademicYear

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import make_practitioner

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = timezone.localdate()
YEAR = str(AcademicYear.containing(TODAY))


WEEKDAYS = [
    TODAY + datetime.timedelta(days=ahead)
    for ahead in range(7, 60)
    if (TODAY + datetime.timedelta(days=ahead)).weekday() < 5
]


def weekday(index):
    return WEEKDAYS[index]


@pytest.mark.parametrize(
    "available, committed, gone, alert",
    [
        ("10", "11", "0.1", "Over-committed"),
        ("10", "9", "0.1", "Nearly fully committed"),
        ("10", "8.5", "0.9", ""),
        ("10", "2", "0.6", "Under-used"),
        ("10", "2", "0.4", ""),  # early in the year: not yet under-used
        ("0", "0", "0.4", "No days available"),
    ],
)
def test_the_alert_for_a_practitioners_days(available, committed, gone, alert):
    assert (
        practitioner_use(
            days_available=D(available), committed=D(committed), share_of_year_gone=D(gone)
        )
        == alert
    )


def test_share_of_the_year_gone():
    assert share_of_year_gone(datetime.date(2026, 9, 1)) == 0
    assert share_of_year_gone(datetime.date(2027, 3, 2)) == D(182) / D(365)


@pytest.fixture
def deployed(school_a, head_a, coordinator, lle_days, members, standard_tier, sam, rita):
    """Sam: 2 days planned, 1 delivered, 1 cancelled; Rita: nothing."""
    members[school_a.pk] = standard_tier

    def work():
        booking = services.book(
            school=school_a, offer=lle_days, units=D("1"), by=head_a, academic_year=YEAR
        )
        return services.confirm(booking=booking, by=coordinator)

    planned = services.deploy(
        work=work(),
        practitioner=sam,
        dates=[weekday(10), weekday(11)],
        days=D("2"),
        by=coordinator,
    )
    cancelled = services.deploy(
        work=work(), practitioner=sam, dates=[weekday(20)], days=D("1"), by=coordinator
    )
    cancelled.status = cancelled.Status.CANCELLED
    cancelled.save()
    delivered = services.deploy(
        work=work(), practitioner=sam, dates=[weekday(30)], days=D("1"), by=coordinator
    )
    delivered.status = delivered.Status.DELIVERED
    delivered.save()
    return planned


def test_days_committed_and_delivered_are_summed_for_the_year(deployed, sam, rita):
    rows = {p.name: (p.committed, p.delivered) for p in practitioners_list(YEAR)}
    assert rows == {"Sam Lee": (D("3"), D("1")), "Rita Patel": (D("0"), D("0"))}
    other = {p.name: p.committed for p in practitioners_list("2019/20")}
    assert other == {"Sam Lee": D("0"), "Rita Patel": D("0")}


def test_the_practitioner_list_shows_each_ones_days_in_one_query(
    deployed, client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    url = reverse("offers:manage_practitioners")
    with django_assert_max_num_queries(20) as few:
        page = client.get(url).content.decode()
    assert "Committed this year" in page and "Days left" in page
    for index in range(15):
        make_practitioner(f"Practitioner {index:02}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    csv = client.get(url + "?_export=csv").content.decode().splitlines()
    header = csv[0].split(",")
    sam = next(row.split(",") for row in csv if row.startswith("Sam Lee"))
    assert (sam[header.index("Committed this year")], sam[header.index("Days left")]) == ("3", "7")
