"""Every API endpoint walked for every role, with tokens as a reporting system sends them."""

import pytest
from django.test import Client

from partnership.roles import Role

from .api_world import token_client

LISTS = {
    "/api/v1/schools/": {Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE},
    "/api/v1/memberships/": {Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE},
    "/api/v1/invoices/": {Role.HEADTEACHER, Role.FINANCE},
    "/api/v1/trading-account/": {Role.FINANCE},
}


@pytest.mark.django_db
def test_each_endpoint_admits_exactly_its_roles(world):
    wrong = []
    for role, user in world["people"].items():
        client = token_client(user)
        for url, roles in LISTS.items():
            status = client.get(url).status_code
            expected = 200 if role in roles else 403
            if status != expected:
                wrong.append(f"{url} {role}: {status}, expected {expected}")
    assert wrong == []


@pytest.mark.django_db
def test_without_a_token_or_with_a_wrong_one_every_endpoint_answers_401(world):
    for url in LISTS:
        assert Client().get(url).status_code == 401
        bad = Client(HTTP_AUTHORIZATION="Bearer sip_not-a-token")
        assert bad.get(url).status_code == 401


@pytest.mark.django_db
def test_a_signed_in_browser_session_is_not_a_token(world, client_for):
    client = client_for(world["people"][Role.FINANCE])
    assert client.get("/api/v1/invoices/").status_code == 401


@pytest.mark.django_db
def test_a_headteachers_token_sees_only_their_own_school(world):
    own, other = world["schools"]
    own_invoice, other_invoice = world["invoices"]
    client = token_client(world["people"][Role.HEADTEACHER])
    schools = client.get("/api/v1/schools/").json()
    assert [s["urn"] for s in schools["results"]] == [own.urn]
    memberships = client.get("/api/v1/memberships/").json()
    assert [m["school_urn"] for m in memberships["results"]] == [own.urn]
    invoices = client.get("/api/v1/invoices/").json()
    assert [i["number"] for i in invoices["results"]] == [own_invoice.number]
    assert client.get(f"/api/v1/schools/{other.urn}/").status_code == 404
    assert client.get(f"/api/v1/invoices/{other_invoice.number}/").status_code == 404
    assert client.get(f"/api/v1/schools/{own.urn}/").status_code == 200
    assert client.get(f"/api/v1/invoices/{own_invoice.number}/").status_code == 200


@pytest.mark.django_db
def test_staff_tokens_see_every_school(world):
    for role in (Role.COORDINATOR, Role.FINANCE):
        body = token_client(world["people"][role]).get("/api/v1/schools/").json()
        assert body["count"] == 2


@pytest.mark.django_db
def test_a_role_changed_after_the_token_was_made_applies_at_once(world):
    finance = world["people"][Role.FINANCE]
    client = token_client(finance)
    assert client.get("/api/v1/trading-account/").status_code == 200
    finance.role = Role.BOARD
    finance.save()
    assert client.get("/api/v1/trading-account/").status_code == 403


@pytest.mark.django_db
def test_a_deactivated_persons_token_stops_working(world):
    coordinator = world["people"][Role.COORDINATOR]
    client = token_client(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get("/api/v1/schools/").status_code == 401


@pytest.mark.django_db
def test_the_api_only_reads(world):
    client = token_client(world["people"][Role.FINANCE])
    assert client.post("/api/v1/invoices/", {}).status_code == 405
    number = world["invoices"][0].number
    assert client.delete(f"/api/v1/invoices/{number}/").status_code == 405
