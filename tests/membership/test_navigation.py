import pytest
from django.urls import reverse

from membership import services

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db


def page(client, url):
    return " ".join(client.get(url).content.decode().split())


def test_menu_items_per_role(client_for, head_a, coordinator, finance_officer, board_member):
    assert f'href="{reverse("membership:mine")}">Membership</a>' in page(
        client_for(head_a), "/dashboard/"
    )
    assert f'href="{reverse("membership:list")}">Memberships</a>' in page(
        client_for(coordinator), "/dashboard/"
    )
    assert f'href="{reverse("membership:fee_schedule")}">Fee schedule</a>' in page(
        client_for(finance_officer), "/dashboard/"
    )
    assert "/membership/" not in page(client_for(board_member), "/dashboard/")


def test_coordinator_dashboard_lists_memberships_awaiting_approval(
    client_for, coordinator, school_a, tiers, membership_year
):
    membership = services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["core"], by=None, on=BEFORE_YEAR
    )
    html = page(client_for(coordinator), "/dashboard/")
    assert "Memberships awaiting approval (1)" in html
    assert (
        f'<a class="govuk-link" href="{reverse("membership:decide", args=[membership.pk])}">'
        "Alpha Primary School</a>: Core membership 2026/27, £7,980.00"
    ) in html


def test_headteacher_dashboard_shows_the_schools_membership(
    client_for, head_a, school_a, tiers, membership_year
):
    html = page(client_for(head_a), "/dashboard/")
    assert "Alpha Primary School is not a member for 2026/27 yet." in html
    # A school that has not joined is shown the way in, not just "Your school's membership".
    assert "Join: see your fee and sign the costed agreement</a>" in html
    services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["standard"], by=head_a, on=BEFORE_YEAR
    )
    html = page(client_for(head_a), "/dashboard/")
    assert "Awaiting approval</strong> Standard membership: £373.80" in html
    assert "Your school's membership</a>" in html
