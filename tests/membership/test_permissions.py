"""Every membership URL: anonymous people sign in, the wrong role gets 403, and a
headteacher never reaches another school's membership."""

import pytest
from django.urls import reverse

from membership import services
from membership.models import Membership

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db

HEAD = "head_a"
ROLES = ("head_a", "coordinator", "finance_officer", "board_member", "practitioner_user")


@pytest.fixture
def pending_b(school_b, tiers, membership_year):
    """A membership of school B awaiting approval."""
    return services.sign_agreement(
        school=school_b, year=membership_year, tier=tiers["core"], by=None, on=BEFORE_YEAR
    )


def urls(school_a, pending_b):
    """(url, roles allowed) for every page; school pages are school A's."""
    return [
        (reverse("membership:mine"), {"head_a"}),
        (
            reverse("membership:school", args=[school_a.urn]),
            {"head_a", "coordinator", "finance_officer"},
        ),
        (reverse("membership:interest", args=[school_a.urn]), {"head_a"}),
        (reverse("membership:agreement", args=[school_a.urn]), {"head_a"}),
        (reverse("membership:agreement_year", args=[school_a.urn, 2026]), {"head_a"}),
        (reverse("membership:decide", args=[pending_b.pk]), {"coordinator"}),
        (reverse("membership:list"), {"coordinator", "finance_officer"}),
        (reverse("membership:interests"), {"coordinator"}),
        (reverse("membership:renewals"), {"coordinator"}),
        (reverse("membership:closing_schools"), {"coordinator"}),
        (reverse("membership:fee_schedule"), {"coordinator", "finance_officer"}),
        (reverse("membership:fee_schedule") + "?tier=core", {"coordinator", "finance_officer"}),
    ]


def test_anonymous_people_are_sent_to_sign_in(client_for, school_a, pending_b):
    for url, _ in urls(school_a, pending_b) + [
        (reverse("membership:withdraw", args=[pending_b.pk]), set())
    ]:
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


@pytest.mark.parametrize("who", ROLES)
def test_each_role_reaches_only_its_pages(request, client_for, who, school_a, head_a, pending_b):
    user = request.getfixturevalue(who)
    client = client_for(user)
    for url, allowed in urls(school_a, pending_b):
        status = client.get(url).status_code
        if who in allowed:
            assert status in (200, 302), (url, status)
        else:
            assert status == 403, (url, status)


def test_a_headteacher_cannot_reach_another_schools_membership(
    client_for, head_a, school_b, pending_b
):
    client = client_for(head_a)
    for name in ("membership:school", "membership:interest", "membership:agreement"):
        assert client.get(reverse(name, args=[school_b.urn])).status_code == 403, name
        assert (
            client.post(
                reverse(name, args=[school_b.urn]),
                {"intent": "yes", "tier": "core", "accept_terms": "on"},
            ).status_code
            == 403
        )
    assert client.get(reverse("membership:withdraw", args=[pending_b.pk])).status_code == 403
    assert client.post(reverse("membership:withdraw", args=[pending_b.pk])).status_code == 403
    pending_b.refresh_from_db()
    assert pending_b.status == Membership.Status.PENDING
    assert not Membership.objects.filter(school__urn=school_b.urn).exclude(pk=pending_b.pk).exists()


def test_a_headteacher_cannot_decide_their_own_membership(client_for, head_b, pending_b):
    response = client_for(head_b).post(
        reverse("membership:decide", args=[pending_b.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    pending_b.refresh_from_db()
    assert pending_b.status == Membership.Status.PENDING


def test_unknown_schools_and_memberships_are_not_found(client_for, head_a, coordinator, tiers):
    assert client_for(head_a).get(reverse("membership:school", args=["999999"])).status_code == 404
    assert client_for(head_a).get(reverse("membership:withdraw", args=[99999])).status_code == 404
    assert (
        client_for(coordinator).get(reverse("membership:decide", args=[99999])).status_code == 404
    )


def test_a_headteacher_without_a_school_is_told_so(client_for, db):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("membership:mine"))
    assert response.status_code == 404
    assert "not linked to a school" in response.content.decode()
