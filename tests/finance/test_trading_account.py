import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from finance.models import BudgetLine
from finance.selectors import trading_account
from finance.services import record_journal, update_budget_line
from partnership.partnership_file import load_text

from .conftest import membership_charge

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 15)


@pytest.fixture
def budget(db):
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())


@pytest.fixture
def activity(budget, issue, school_a):
    record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 5, 2),
        description="Chair, May",
        reason="Chair's invoice 55",
        budget_line=BudgetLine.objects.get(code="chair"),
    )
    issue(school_a, lines=[membership_charge("membership:1", "1200.00")])


def rows_by(account):
    return {row.code or row.label: row for row in account.income + account.expenditure}


def test_budget_actual_and_forecast_by_line(activity):
    account = trading_account("2026-27", today=TODAY)
    rows = rows_by(account)
    membership = rows["Membership fees"]
    assert (membership.budget, membership.actual, membership.forecast) == (
        D("0"),
        D("300.00"),
        D("700.00"),
    )
    chair = rows["chair"]
    # £600 spent to date, then the budget of £1,000 a month for December to March
    assert (chair.budget, chair.actual, chair.forecast) == (
        D("12000.00"),
        D("600.00"),
        D("4600.00"),
    )
    la = rows["la-contribution"]
    assert (la.budget, la.actual, la.forecast) == (D("20000.00"), D("0"), D("6666.67"))
    assert account.income_totals["budget"] == D("20000.00")
    assert account.expenditure_totals["budget"] == D("198300.00")
    assert account.surplus["budget"] == D("-178300.00")
    assert account.surplus["actual"] == D("300.00") - D("600.00")


def test_a_forecast_override_replaces_the_calculated_forecast(activity, finance_officer):
    chair = BudgetLine.objects.get(code="chair")
    update_budget_line(line=chair, changed_by=finance_officer, forecast_override=D("9000"))
    row = rows_by(trading_account("2026-27", today=TODAY))["chair"]
    assert (row.forecast, row.overridden) == (D("9000.00"), True)


def test_by_month_spreads_the_budget_and_places_the_actuals(activity):
    months = trading_account("2026-27", today=TODAY).by_month()
    assert [m["month"].month for m in months] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    may, september, march = months[1], months[5], months[11]
    assert may["actual_expenditure"] == D("600.00")
    assert september["actual_income"] == D("100.00")
    assert march["actual_income"] == D("100.00")
    assert sum(m["budget_expenditure"] for m in months) == D("198300.00")
    assert may["budget_expenditure"] == D("16525.00")  # 198,300 / 12


def test_the_next_financial_year_holds_the_rest_of_the_membership(activity):
    rows = rows_by(trading_account("2027-28", today=TODAY))
    assert rows["Membership fees"].forecast == D("500.00")


def test_the_trading_account_page_shows_figures_chart_and_downloads(
    client_for, finance_officer, activity
):
    client = client_for(finance_officer)
    page = client.get(reverse("finance:trading_account"), {"year": "2026-27"}).content.decode()
    assert "Independent chair" in page and "£12,000.00" in page
    assert "<svg" in page and "Income against costs by month" in page
    csv = client.get(
        reverse("finance:trading_account"), {"year": "2026-27", "format": "csv"}
    ).content.decode()
    assert "expenditure,chair,Independent chair,12000.00,600.00," in csv
    xlsx = client.get(reverse("finance:trading_account"), {"year": "2026-27", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_an_unknown_year_is_not_found(client_for, finance_officer):
    assert (
        client_for(finance_officer)
        .get(reverse("finance:trading_account"), {"year": "2026"})
        .status_code
        == 404
    )


def test_the_forecast_by_month_adds_up_to_the_forecast(activity, finance_officer):
    account = trading_account("2026-27", today=TODAY)
    months = account.by_month()
    assert sum(m["forecast_expenditure"] for m in months) == account.expenditure_totals["forecast"]
    assert sum(m["forecast_income"] for m in months) == account.income_totals["forecast"]
    december = months[8]
    # chair £1,000 + the rest of the budget (£198,300 − £12,000) / 12, in December
    assert december["forecast_expenditure"] == D("16525.00")

    chair = BudgetLine.objects.get(code="chair")
    update_budget_line(line=chair, changed_by=finance_officer, forecast_override=D("9000"))
    row = rows_by(trading_account("2026-27", today=TODAY))["chair"]
    # £600 spent to date; the other £8,400 spread over December to March
    assert row.forecast_by_month[8:] == [D("2100.00")] * 4
    assert sum(row.forecast_by_month) == D("9000.00")
