import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from finance.models import BudgetLine
from finance.selectors import NotRecorded, trading_account
from finance.services import record_journal, update_budget_line
from partnership.partnership_file import load_text
from tests.chart_reading import chart_titles, table_rows

from .conftest import membership_charge

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 15)
COSTING = Path(__file__).parent / "files" / "hillingdon-costing.yaml"


@pytest.fixture
def budget(db):
    """The 2026/27 Hillingdon costing (£198,300 of costs, a £20,000 LA contribution), whose
    year runs 1 September 2026 to 31 August 2027."""
    load_text(COSTING.read_text())


@pytest.fixture
def activity(budget, issue, school_a):
    record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 10, 2),
        description="Chair, October",
        reason="Chair's invoice 55",
        budget_line=BudgetLine.objects.get(code="chair"),
    )
    issue(school_a, lines=[membership_charge("membership:1", "1200.00")])


def rows_by(account):
    return {row.code or row.label: row for row in account.income + account.expenditure}


def test_a_budget_is_spread_over_its_own_years_months_and_split_between_financial_years(budget):
    this_year = trading_account("2026-27", today=TODAY)
    next_year = trading_account("2027-28", today=TODAY)
    # September to March falls in FY 2026-27, April to August in FY 2027-28.
    assert rows_by(this_year)["chair"].budget == D("7000.00")
    assert rows_by(next_year)["chair"].budget == D("5000.00")
    assert this_year.expenditure_totals["budget"] == D("115675.00")
    assert next_year.expenditure_totals["budget"] == D("82625.00")
    assert rows_by(this_year)["la-contribution"].budget == D("11666.67")
    assert rows_by(next_year)["la-contribution"].budget == D("8333.33")
    months = this_year.by_month()
    assert [m["month"].month for m in months] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    # Nothing is budgeted before the partnership year starts.
    assert [m["budget_expenditure"] for m in months[:5]] == [D("0")] * 5
    assert months[5]["budget_expenditure"] == D("16525.00")  # 198,300 / 12
    # The year before has no budget at all.
    assert trading_account("2025-26", today=TODAY).expenditure_totals["budget"] == D("0")


def test_a_partnership_year_starting_in_april_is_budgeted_april_to_march(db):
    load_text(COSTING.read_text().replace("  census_date:", "  start_month: 4\n  census_date:"))
    chair = BudgetLine.objects.get(code="chair")
    assert (chair.starts_on, chair.ends_on) == (
        datetime.date(2026, 4, 1),
        datetime.date(2027, 3, 31),
    )
    assert rows_by(trading_account("2026-27", today=TODAY))["chair"].budget == D("12000.00")
    assert "chair" not in rows_by(trading_account("2027-28", today=TODAY))


def test_an_ended_month_with_nothing_recorded_is_forecast_at_its_budget_and_listed(activity):
    account = trading_account("2026-27", today=TODAY)
    chair = rows_by(account)["chair"]
    # September: nothing recorded, so its £1,000 budget; October: the £600 recorded;
    # November (this month) and December to March: the budget.
    assert (chair.budget, chair.actual, chair.forecast) == (
        D("7000.00"),
        D("600.00"),
        D("6600.00"),
    )
    assert chair.forecast_by_month[5:8] == [D("1000.00"), D("600.00"), D("1000.00")]
    assert NotRecorded(
        "Independent chair", datetime.date(2026, 9, 1), D("1000.00"), "expenditure"
    ) in (account.not_recorded)
    assert not any(
        item.label == "Independent chair" and item.month.month == 10
        for item in account.not_recorded
    )
    la = rows_by(account)["la-contribution"]
    assert (la.actual, la.forecast) == (D("0"), D("11666.67"))
    assert [
        item.month.month for item in account.not_recorded if item.label == "LA contribution"
    ] == [
        9,
        10,
    ]


def test_membership_income_earned_month_by_month(activity):
    membership = rows_by(trading_account("2026-27", today=TODAY))["membership-fees"]
    # £1,200 earned £100 a month from September; three months to date, seven in the year.
    assert (membership.actual, membership.forecast) == (D("300.00"), D("700.00"))
    assert rows_by(trading_account("2027-28", today=TODAY))["membership-fees"].forecast == D(
        "500.00"
    )


def test_a_forecast_override_is_the_lines_whole_year(activity, finance_officer):
    chair = BudgetLine.objects.get(code="chair")
    update_budget_line(line=chair, changed_by=finance_officer, forecast_override=D("9000"))
    this_year = rows_by(trading_account("2026-27", today=TODAY))["chair"]
    next_year = rows_by(trading_account("2027-28", today=TODAY))["chair"]
    # To date: £1,000 (September, budget) + £600 + £1,000 (November, budget) = £2,600;
    # the other £6,400 spread over December to August, four months of it in FY 2026-27.
    assert this_year.overridden
    assert this_year.forecast_by_month[8:] == [D("711.11"), D("711.11"), D("711.11"), D("711.11")]
    assert this_year.forecast == D("2600.00") + D("2844.44")
    assert this_year.forecast + next_year.forecast == D("9000.00")


def test_the_forecast_by_month_adds_up_to_the_forecast(activity):
    account = trading_account("2026-27", today=TODAY)
    months = account.by_month()
    assert sum(m["forecast_expenditure"] for m in months) == account.expenditure_totals["forecast"]
    assert sum(m["forecast_income"] for m in months) == account.income_totals["forecast"]
    assert sum(m["budget_expenditure"] for m in months) == account.expenditure_totals["budget"]


def test_the_trading_account_page_shows_figures_chart_and_downloads(
    client_for, finance_officer, activity
):
    client = client_for(finance_officer)
    page = client.get(reverse("finance:trading_account"), {"year": "2026-27"}).content.decode()
    assert "Independent chair" in page and "£7,000.00" in page
    assert "<svg" in page and "Income by month: recorded, forecast and budget" in page
    assert "Not yet recorded" in page
    csv = client.get(
        reverse("finance:trading_account"), {"year": "2026-27", "format": "csv"}
    ).content.decode()
    assert "Expenditure,chair,Independent chair,7000.00,600.00,6600.00" in csv
    xlsx = client.get(reverse("finance:trading_account"), {"year": "2026-27", "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_an_unknown_year_is_not_found(client_for, finance_officer):
    assert (
        client_for(finance_officer)
        .get(reverse("finance:trading_account"), {"year": "2026"})
        .status_code
        == 404
    )


def test_export_trading_account_prints_the_pages_figures(activity, client_for, finance_officer):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "export_trading_account", "--financial-year", "2026-27", "--on", "2026-11-15", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "side,code,name,budget,actual,forecast"
    assert "expenditure,chair,Independent chair,7000.00,600.00,6600.00" in lines
    # The invoiced fee is budgeted as its invoice earns it.
    assert "income,membership-fees,Membership fees,700.00,300.00,700.00" in lines
    account = trading_account("2026-27", today=TODAY)
    figures = [f"{account.surplus[key]:.2f}" for key in ("budget", "actual", "forecast")]
    assert lines[-1] == "total,surplus,," + ",".join(figures)
    assert lines[-3].startswith("total,income,,12366.67,300.00,")
    assert lines[-2].startswith("total,expenditure,,115675.00,600.00,")
    assert account.surplus["budget"] == D("12366.67") - D("115675.00")


def test_export_trading_account_refuses_a_bad_year():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a financial year"):
        call_command("export_trading_account", "--financial-year", "2026/27")


def test_the_trading_charts_hold_the_months_table_figures(client_for, finance_officer, activity):
    page = (
        client_for(finance_officer)
        .get(reverse("finance:trading_account"), {"year": "2026-27"})
        .content.decode()
    )
    rows = table_rows(page, 'aria-label="Income and costs by month"')
    current = datetime.date.today().replace(day=1)
    for key, name in (("income", "Income"), ("costs", "Costs")):
        expected = []
        for when, row in rows.items():
            done = datetime.datetime.strptime(when, "%B %Y").date() <= current
            if done:
                expected.append(f"{name} {when}: recorded {row[name]}")
            else:
                expected.append(f"{name} {when}: forecast {row[f'{name} forecast']}")
            expected.append(f"{name} {when}: budget {row[f'{name} budget']}")
        assert chart_titles(page, f"trading-{key}") == expected
    assert any(row["Costs"] == "£600.00" for row in rows.values())  # the chair's journal
    assert any(row["Costs budget"] != "£0.00" for row in rows.values())
    assert 'aria-labelledby="chart-trading-income-title chart-trading-income-desc"' in page


def test_a_trading_account_with_nothing_in_it_says_so(client_for, finance_officer):
    page = (
        client_for(finance_officer)
        .get(reverse("finance:trading_account"), {"year": "2031-32"})
        .content.decode()
    )
    assert "Nothing is budgeted or recorded for 2031/32 yet, so there is no chart." in page
    assert "portal-chart-figure" not in page
