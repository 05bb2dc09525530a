"""The day rates page (coordinator) and the rates on the partnership settings page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from offers.models import DayRate
from offers.services_brokerage import set_day_rates

pytestmark = pytest.mark.django_db
D = Decimal
URL = reverse("offers:manage_day_rates")


def test_the_coordinator_sets_the_rates_and_the_share(client_for, coordinator, partnership_record):
    set_day_rates(rates={"adviser": D("400")}, partnership_percent=D("10"))
    response = client_for(coordinator).post(
        URL,
        {
            "partnership_percent": "15",
            "rate_SLE": "350",
            "rate_LLE": "£500.00",
            "rate_NLE": "",
            "rate_adviser": "",
            "rate_other": "",
        },
    )
    assert response.status_code == 302
    assert sorted(
        DayRate.objects.values_list("designation", "day_rate", "partnership_percent")
    ) == [("LLE", D("500.00"), D("15.00")), ("SLE", D("350.00"), D("15.00"))]
    page = client_for(coordinator).get(reverse("partnership_settings")).content.decode()
    assert "£350.00 a day: the partnership keeps 15%, the home school is paid 85%" in page
    assert "Change the day rates and brokerage split" in page


def test_a_share_over_100_is_named_in_the_error_summary(client_for, coordinator):
    response = client_for(coordinator).post(
        URL, {"partnership_percent": "120", "rate_SLE": "350"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_partnership_percent"' in page
    assert "Enter a share of 100% or less" in page
    assert not DayRate.objects.exists()


def test_finance_reads_the_rates_but_only_the_coordinator_changes_them(
    client_for, finance_officer, head_a, board_member, partnership_record
):
    set_day_rates(rates={"NLE": D("650")}, partnership_percent=D("15"))
    page = client_for(finance_officer).get(reverse("partnership_settings")).content.decode()
    assert "£650.00 a day" in page
    assert "Change the day rates" not in page
    for user in (finance_officer, head_a, board_member):
        assert client_for(user).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
