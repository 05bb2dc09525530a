"""The API's figures are the pages' figures; pages of results; bad filters named."""

import datetime

import pytest

from finance.selectors import default_financial_year
from finance.services import record_payment
from partnership.roles import Role

from .api_world import token_client


@pytest.mark.django_db
def test_the_trading_account_equals_the_page(world, client_for):
    finance = world["people"][Role.FINANCE]
    api = token_client(finance).get("/api/v1/trading-account/?financial_year=2026-27").json()
    page = client_for(finance).get("/finance/?year=2026-27").context["account"]
    assert api["financial_year"] == "2026-27"
    assert api["surplus"] == {k: f"{v:.2f}" for k, v in page.surplus.items()}
    assert api["income_totals"]["forecast"] == f"{page.income_totals['forecast']:.2f}"
    # £1,200 for 2026/27, September to March of it in FY 2026-27.
    assert api["expenditure_totals"]["budget"] == "700.00"
    assert [row["label"] for row in api["income"]] == [row.label for row in page.income]
    assert len(api["months"]) == 12
    assert api["months"][0]["month"] == "2026-04"


@pytest.mark.django_db
def test_the_trading_account_defaults_to_this_financial_year(world):
    body = token_client(world["people"][Role.FINANCE]).get("/api/v1/trading-account/").json()
    assert body["financial_year"] == default_financial_year()


@pytest.mark.django_db
def test_a_bad_financial_year_is_refused_naming_the_field(world):
    client = token_client(world["people"][Role.FINANCE])
    response = client.get("/api/v1/trading-account/?financial_year=2026/27")
    assert response.status_code == 400
    assert "financial_year" in response.json()


@pytest.mark.django_db
def test_an_invoice_shows_paid_balance_and_status_as_the_page(world):
    invoice = world["invoices"][0]
    finance = world["people"][Role.FINANCE]
    record_payment(
        invoice=invoice,
        amount=invoice.gross_total - 40,
        received_on=datetime.date(2026, 9, 20),
        method="bacs",
        reference="BACS",
    )
    body = token_client(finance).get(f"/api/v1/invoices/{invoice.number}/").json()
    assert body["gross_total"] == f"{invoice.gross_total:.2f}"
    assert body["paid"] == f"{invoice.gross_total - 40:.2f}"
    assert body["balance"] == "40.00"
    assert body["lines"][0]["income_account"] == "membership"


@pytest.mark.django_db
def test_lists_come_in_pages(world):
    client = token_client(world["people"][Role.COORDINATOR])
    first = client.get("/api/v1/schools/?page_size=1").json()
    assert first["count"] == 2
    assert len(first["results"]) == 1
    assert first["next"].endswith("page=2&page_size=1")
    second = client.get(first["next"]).json()
    assert second["results"][0]["urn"] != first["results"][0]["urn"]


@pytest.mark.django_db
def test_memberships_filter_by_year_and_refuse_a_bad_status(world):
    client = token_client(world["people"][Role.COORDINATOR])
    assert client.get("/api/v1/memberships/?academic_year=2026/27").json()["count"] == 2
    assert client.get("/api/v1/memberships/?academic_year=2027/28").json()["count"] == 0
    bad = client.get("/api/v1/memberships/?status=nonsense")
    assert bad.status_code == 400
    assert "status" in bad.json()


@pytest.mark.django_db
def test_a_membership_names_no_person(world):
    body = token_client(world["people"][Role.COORDINATOR]).get("/api/v1/memberships/").json()
    assert "signed_by" not in body["results"][0]
    assert body["results"][0]["fee_amount"] in ("840.00", "420.00")
