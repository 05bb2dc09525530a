"""The impact report's charts draw what its tables say, and the demo has outcomes to show."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from finance.models import HomeSchoolPayment
from offers.models import SupportObjective
from tests.chart_reading import chart_shapes, chart_titles, table_rows

from .booking_factories import *  # noqa: F403 (fixtures)
from .test_impact import _objective, _review, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = reverse("offers:impact_report")


def test_each_chart_draws_the_figures_of_its_table(client_for, world, coordinator):  # noqa: F811
    _review(world["own"], coordinator, rating="green")
    _review(_objective(world["booking"], coordinator, "Writing"), coordinator, rating="amber")
    _review(world["other"], coordinator, rating="red")
    page = client_for(coordinator).get(URL).content.decode()
    rows = table_rows(page, 'aria-label="Objectives by strand"')
    assert rows["Additional offer"] == {
        "Met": "1",
        "Partly met": "1",
        "Not met": "1",
        "Not yet reviewed": "0",
        "Objectives": "3",
    }
    assert chart_titles(page, "impact-strand") == [
        "Additional offer: 1 met",
        "Additional offer: 1 partly met",
        "Additional offer: 1 not met",
    ]
    met, partly, not_met = chart_shapes(page, "impact-strand", "rect")
    assert met["fill"] == "#00703c"
    assert partly["fill"] == "url(#chart-impact-strand-partly)"
    assert not_met["fill"] == "url(#chart-impact-strand-not-met)"
    # One unit is as long as another: the three bars are the same width.
    assert met["width"] == partly["width"] == not_met["width"]
    # Schools causing concern come first, in the chart as in the table.
    assert chart_titles(page, "impact-concern")[:3] == [
        "Schools causing concern: 1 not met",
        "Other schools: 1 met",
        "Other schools: 1 partly met",
    ]
    assert "1 of 3 objectives met in all" in page


def test_without_objectives_there_is_no_chart(client_for, coordinator):
    page = client_for(coordinator).get(URL).content.decode()
    assert "portal-chart-figure" not in page
    assert page.count("No objectives are recorded yet.") == 3


def test_the_chart_is_for_the_coordinator_and_the_board_only(
    client_for,
    world,  # noqa: F811
    head_a,
    finance_officer,
    practitioner_user,  # noqa: F811
):
    for user in (head_a, finance_officer, practitioner_user):
        assert client_for(user).get(URL).status_code == 403


def test_the_demo_shows_objectives_with_judgements_and_pays_home_schools(settings, client_for):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    ratings = sorted(SupportObjective.objects.values_list("rating", flat=True))
    assert ratings == ["", "amber", "green", "green", "red"]
    # The SLE's adviser visit (1 day at £350) and the LLE's peer review (1.5 days at £500),
    # both released by schools: 85% of each to the home school.
    assert sorted(HomeSchoolPayment.objects.values_list("amount", flat=True)) == [
        Decimal("297.50"),
        Decimal("637.50"),
    ]
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    assert SupportObjective.objects.count() == 5
    assert HomeSchoolPayment.objects.count() == 2
    from partnership.models import User

    board = User.objects.get(email="board@demo.partnership")
    page = client_for(board).get(URL).content.decode()
    assert re.search(r"Objectives met, by strand", page)
    assert chart_titles(page, "impact-concern")[0].startswith("Schools causing concern: 1 met")
