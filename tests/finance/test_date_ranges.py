"""Financial years and dates a person types are held to a sane range: a year like 9999-00 or
0-01 answers 404 or a form error naming the field, never a server error."""

import pytest
from django.urls import reverse

from tests.partnership.api_world import token_client

pytestmark = pytest.mark.django_db

BAD_YEARS = ["9999-00", "0-01", "0000-01", "1999-00"]


@pytest.fixture
def finance(client_for, finance_officer):
    client = client_for(finance_officer)
    client.raise_request_exception = False  # a crash answers 500 here, as it would live
    return client


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("name", ["finance:trading_account", "finance:costing"])
def test_a_report_for_an_impossible_financial_year_is_not_found(finance, name, year):
    assert finance.get(reverse(name), {"year": year}).status_code == 404


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_report_pdf_for_an_impossible_year_is_not_found(finance, year):
    url = reverse("finance:report_pdf", args=["trading-account"])
    assert finance.post(url, {"parameter": year}).status_code == 404


@pytest.mark.parametrize("year", ["9999/00", "0/01", "1999/00"])
def test_break_even_for_an_impossible_academic_year_is_a_form_error(finance, year):
    response = finance.get(reverse("finance:break_even"), {"academic_year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["academic_year"] == [
        "Enter an academic year like 2026/27"
    ]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_scenarios_for_an_impossible_financial_year_is_a_form_error(finance, year):
    response = finance.get(reverse("finance:scenarios"), {"financial_year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["financial_year"] == [
        "Enter a financial year like 2026-27"
    ]


@pytest.mark.parametrize("year", ["9999-00", "0-01"])
def test_the_api_refuses_an_impossible_financial_year_naming_the_field(finance_officer, year):
    client = token_client(finance_officer)
    client.raise_request_exception = False
    response = client.get("/api/v1/trading-account/", {"financial_year": year})
    assert response.status_code == 400
    assert "financial_year" in response.json()
