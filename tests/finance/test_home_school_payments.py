"""The monthly run pays practitioners' home schools their share and posts it as a cost;
the list of those payments is for finance and the coordinator."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from finance.models import HomeSchoolPayment, ImmutableRecordError, LedgerEntry
from finance.services import run_monthly_bookings
from offers import services_bookings as offers
from offers.services_brokerage import set_day_rates
from tests.conftest import requires_postgresql
from tests.factories import SchoolFactory
from tests.offers.booking_factories import make_offer, make_practitioner

D = Decimal
pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(2026, 11, 1)
MON, TUE, WED = (datetime.date(2026, 11, day) for day in (16, 17, 18))
URL = reverse("finance:home_school_payments")


@pytest.fixture
def delivered(partnership_record, school_a, head_a, coordinator):
    """Alpha books 4 days of support (£500 a day, non-member), delivered in November by an
    SLE released by Gamma (1.5 days), an LLE released by Delta (1 day) and an adviser the
    LA employs (£400 a day, 1 day). SLE £350 and LLE £500 a day; the partnership keeps 15%."""
    set_day_rates(rates={"SLE": D("350"), "LLE": D("500")}, partnership_percent=D("15"))
    offer = make_offer("support-days", name="Support days", unit="day", non_member={"": "500"})
    offer.cost_line = "school-to-school"
    offer.save()
    booking = offers.book(
        school=school_a, offer=offer, units=D("3.5"), by=head_a, academic_year="2026/27"
    )
    offers.confirm(booking=booking, by=coordinator)
    gamma = SchoolFactory(name="Gamma Primary School")
    delta = SchoolFactory(name="Delta High School")
    sle = make_practitioner("Sam Lee")
    sle.home_school = gamma
    sle.save()
    lle = make_practitioner("Lola Lane")
    lle.designation, lle.home_school = "LLE", delta
    lle.save()
    adviser = make_practitioner("Ada Advise", day_cost="400.00")
    adviser.designation = "adviser"
    adviser.save()
    for practitioner, dates, days in (
        (sle, [MON, TUE], "1.5"),
        (lle, [WED], "1"),
        (adviser, [datetime.date(2026, 11, 19)], "1"),
    ):
        deployment = offers.deploy(
            work=booking, practitioner=practitioner, dates=dates, days=D(days), by=coordinator
        )
        offers.record_delivery(
            deployment=deployment, by=coordinator, today=datetime.date(2026, 11, 20)
        )
    return {"gamma": gamma, "delta": delta}


def run():
    return run_monthly_bookings(month=NOVEMBER, issue_date=datetime.date(2026, 12, 1))


def test_the_run_pays_each_home_school_its_share_and_posts_it_as_a_cost(delivered):
    run()
    payments = HomeSchoolPayment.objects.order_by("delivered_on")
    # 1.5 × £350 = £525.00, 85% = £446.25; 1 × £500 = £500.00, 85% = £425.00.
    assert [
        (p.school, p.practitioner_name, p.designation, p.days, p.day_rate, p.amount)
        for p in payments
    ] == [
        (delivered["gamma"], "Sam Lee", "SLE", D("1.5"), D("350.00"), D("446.25")),
        (delivered["delta"], "Lola Lane", "LLE", D("1.0"), D("500.00"), D("425.00")),
    ]
    assert {p.month for p in payments} == {NOVEMBER}
    paid = LedgerEntry.objects.filter(entry_type="practitioner_payment").order_by("entry_date")
    assert [(e.side, e.entry_date, e.amount, e.school, e.financial_year) for e in paid] == [
        ("expenditure", TUE, D("446.25"), delivered["gamma"], "2026-27"),
        ("expenditure", WED, D("425.00"), delivered["delta"], "2026-27"),
    ]
    assert [p.ledger_entry for p in payments] == list(paid)
    # The adviser's day is a deployment cost as before; the released days are not costed twice.
    costs = LedgerEntry.objects.filter(entry_type="deployment_cost")
    assert [(e.amount, e.description.split(",")[0]) for e in costs] == [(D("400.00"), "Ada Advise")]
    expenditure = LedgerEntry.objects.filter(side="expenditure")
    assert sum(e.amount for e in expenditure) == D("1271.25")


def test_running_the_month_again_pays_nobody_twice(delivered):
    run()
    run()
    assert HomeSchoolPayment.objects.count() == 2
    assert LedgerEntry.objects.filter(entry_type="practitioner_payment").count() == 2


def test_a_payment_is_never_changed(delivered):
    run()
    payment = HomeSchoolPayment.objects.first()
    payment.amount = D("1")
    with pytest.raises(ImmutableRecordError):
        payment.save()
    with pytest.raises(ImmutableRecordError):
        HomeSchoolPayment.objects.update(amount=D("1"))
    with pytest.raises(ImmutableRecordError):
        payment.delete()


@requires_postgresql
def test_the_database_refuses_to_change_a_payment(delivered):
    run()
    with pytest.raises(Exception, match="never updated or deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE finance_homeschoolpayment SET amount = 1")
    assert sorted(HomeSchoolPayment.objects.values_list("amount", flat=True)) == [
        D("425.00"),
        D("446.25"),
    ]


def test_finance_and_the_coordinator_see_the_payments(
    delivered, client_for, finance_officer, coordinator
):
    run()
    for user in (finance_officer, coordinator):
        page = client_for(user).get(URL).content.decode()
        assert "Gamma Primary School" in page
        assert "£446.25" in page
        assert "2 payments, £871.25 in all." in page


def test_schools_the_board_and_practitioners_may_not_see_them(
    delivered, client_for, head_a, board_member, practitioner_user
):
    run()
    for user in (head_a, board_member, practitioner_user):
        assert client_for(user).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302


def test_the_list_filters_by_home_school_and_year(delivered, client_for, finance_officer):
    run()
    client = client_for(finance_officer)
    page = client.get(URL, {"school": "delta"}).content.decode()
    assert "Delta High School" in page and "Gamma Primary School" not in page
    assert "1 payment matching the filters, £425.00 in all." in page
    page = client.get(URL, {"financial_year": "2027-28"}).content.decode()
    assert "No payments match the filters." in page
    # Typed as pages write it, too.
    page = client.get(URL, {"financial_year": "2027/28"}).content.decode()
    assert "No payments match the filters." in page
    page = client.get(URL, {"financial_year": "2026/27"}).content.decode()
    assert "No payments match the filters." not in page


def test_the_csv_has_one_row_per_payment_with_plain_figures(delivered, client_for, finance_officer):
    run()
    response = client_for(finance_officer).get(URL, {"_export": "csv", "sort": "amount"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Month run",
        "Home school",
        "Practitioner",
        "Designation",
        "For",
        "Delivered",
        "Days",
        "Day rate",
        "Home school's share",
        "Paid",
    ]
    assert [row[:4] + row[5:] for row in rows[1:]] == [
        ["2026-11", "Delta High School", "Lola Lane", "LLE"]
        + ["2026-11-18", "1.0", "500.00", "85.00", "425.00"],
        ["2026-11", "Gamma Primary School", "Sam Lee", "SLE"]
        + ["2026-11-17", "1.5", "350.00", "85.00", "446.25"],
    ]


def test_the_list_takes_the_same_queries_for_more_payments(
    delivered, client_for, finance_officer, django_assert_max_num_queries
):
    run()
    client = client_for(finance_officer)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
