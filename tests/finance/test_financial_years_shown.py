"""Financial years on pages read as academic years do, "2026/27", and may be typed either
way; files, CSV and XLSX exports, commands and invoice numbers keep "2026-27"
(docs/decisions.md, "Lists and dates on screen")."""

import datetime

import pytest
from django.urls import reverse

from finance import selectors
from finance.services import record_journal
from partnership import words
from partnership.partnership_file import load_text

from .test_exports import COSTING, filename, sheet_of
from .test_reports import SCENARIO

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db):
    return record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 5, 2),
        description="Chair, May",
        reason="Chair invoice",
    )


def test_the_trading_account_writes_its_year_as_pages_do_and_links_with_the_files_form(
    client_for, finance_officer
):
    load_text(COSTING.read_text())
    page = (
        client_for(finance_officer)
        .get(reverse("finance:trading_account"), {"year": "2026-27"})
        .content.decode()
    )
    assert "<title>Trading account 2026/27" in page
    assert "Financial year 2026/27 (1 April to 31 March)" in page
    assert '<option value="2026-27" selected>2026/27</option>' in page
    assert "The forecast for 2026/27 is" in page
    # Addresses and the PDF's form keep the form the files use.
    assert 'href="?year=2026-27&amp;format=csv"' in page
    assert '<input type="hidden" name="parameter" value="2026-27">' in page


def test_the_trading_account_may_be_asked_for_as_pages_write_the_year(client_for, finance_officer):
    load_text(COSTING.read_text())
    client = client_for(finance_officer)
    typed = client.get(reverse("finance:trading_account"), {"year": "2026/27"})
    assert typed.status_code == 200 and typed.context["year"] == "2026-27"
    export = client.get(reverse("finance:trading_account"), {"year": "2026/27", "format": "csv"})
    assert filename(export) == "trading-account-2026-27.csv"


def test_the_ledger_shows_2026_27_as_pages_do_and_exports_it_as_files_do(
    client_for, finance_officer, entry
):
    client = client_for(finance_officer)
    page = client.get(reverse("finance:ledger")).content.decode()
    assert 'data-label="Year"><span class="portal-cell">2026/27</span></td>' in page
    assert 'data-label="Year"><span class="portal-cell">2026-27</span></td>' not in page
    csv = client.get(reverse("finance:ledger"), {"_export": "csv"}).content.decode()
    assert ",2026-27," in csv.splitlines()[1]
    assert "2026/27" not in csv


@pytest.mark.parametrize("typed", ["2026/27", "2026-27", " 2026/27 "])
def test_the_ledger_filter_takes_the_year_either_way(client_for, finance_officer, entry, typed):
    client = client_for(finance_officer)
    response = client.get(reverse("finance:ledger"), {"financial_year": typed})
    assert list(response.context["table"].data) == [entry]
    export = client.get(reverse("finance:ledger"), {"financial_year": typed, "_export": "xlsx"})
    assert filename(export) == "ledger-2026-27.xlsx"
    assert sheet_of(export)["B2"].value == "2026-27"


def test_a_ledger_filter_of_another_year_finds_nothing(client_for, finance_officer, entry):
    response = client_for(finance_officer).get(
        reverse("finance:ledger"), {"financial_year": "2027/28"}
    )
    assert list(response.context["table"].data) == []


def test_a_journal_goes_to_the_ledger_filtered_as_pages_write_the_year(client_for, finance_officer):
    from tests.factories import budget_line

    line = budget_line(
        code="chair", name="Chair", kind="core", quantity=20, unit_cost=600, amount="12000"
    )
    response = client_for(finance_officer).post(
        reverse("finance:journal"),
        {
            "side": "expenditure",
            "entry_date": "2026-10-02",
            "amount": "600",
            "budget_line": line.pk,
            "description": "Chair, October",
            "reason": "Chair's invoice 55",
        },
    )
    assert response.url == "/finance/ledger/?financial_year=2026/27"


def test_the_scenarios_take_the_year_as_pages_write_it_and_show_it_so(client_for, finance_officer):
    load_text(COSTING.read_text())
    client = client_for(finance_officer)
    typed = client.get(reverse("finance:scenarios"), SCENARIO | {"financial_year": "2026/27"})
    assert typed.context["form"].cleaned_data["financial_year"] == "2026-27"
    export = client.get(
        reverse("finance:scenarios"), SCENARIO | {"financial_year": "2026/27", "format": "csv"}
    )
    assert filename(export) == "scenarios-2026-27.csv"
    blank = client.get(reverse("finance:scenarios")).content.decode()
    shown = words.financial_year(selectors.default_financial_year())
    assert f'name="financial_year" value="{shown}"' in blank and "/" in shown
    assert "For example, 2026/27" in blank
