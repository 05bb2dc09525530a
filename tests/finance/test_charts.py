"""The trading account's, break-even's and scenarios' charts: from the figures their pages
show, a deficit below zero, budget as well as recorded and forecast months."""

import datetime
from decimal import Decimal

from finance.charts import scenario_chart, trading_charts
from finance.rules import ScenarioResult

D = Decimal


def month(m, income, costs, budget_income="0", budget_costs="0"):
    return {
        "month": datetime.date(2026, m, 1),
        "income": D(income),
        "costs": D(costs),
        "budget_income": D(budget_income),
        "budget_costs": D(budget_costs),
        "forecast_income": D(income),
        "forecast_costs": D(costs),
    }


def titles(chart):
    return [shape.title for shape in chart.shapes if shape.title]


def test_recorded_months_are_solid_later_months_hatched_and_each_has_its_budget():
    months = [month(10, "2500", "1250", "2000", "1000"), month(11, "0", "900", "2000", "1000")]
    income, costs = trading_charts(months, current=datetime.date(2026, 10, 1))
    assert titles(income) == [
        "Income October 2026: recorded £2,500.00",
        "Income October 2026: budget £2,000.00",
        "Income November 2026: forecast £0.00",
        "Income November 2026: budget £2,000.00",
    ]
    fills = [dict(s.attrs)["fill"] for s in costs.shapes if s.tag == "rect"]
    assert fills == ["#d4351c", "url(#chart-trading-costs-forecast)"]
    assert [item["style"].name for item in costs.legend] == [
        "Costs recorded, October 2026 (solid)",
        "Costs forecast, November 2026 (hatched)",
        "Budget (black line across the month)",
    ]


def test_a_year_with_nothing_budgeted_or_recorded_has_no_chart():
    assert trading_charts([month(10, "0", "0")], current=datetime.date(2026, 10, 1)) == []


def test_each_option_is_labelled_with_its_surplus_or_deficit_in_words():
    chart = scenario_chart(
        [
            ScenarioResult("Option 1: one", D("4"), D("100"), D("0"), D("0"), D("150")),
            ScenarioResult("Option 2: two", D("4"), D("300"), D("0"), D("0"), D("200")),
        ]
    )
    texts = [shape.text for shape in chart.shapes if shape.tag == "text"]
    assert "Deficit £50.00" in texts and "Surplus £100.00" in texts
    assert "Option 1: Deficit £50.00" in titles(chart)
