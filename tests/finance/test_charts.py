import datetime
from decimal import Decimal

from finance.charts import income_cost_chart, nice_ceiling

D = Decimal


def test_the_axis_tops_at_a_round_figure():
    assert [nice_ceiling(D(x)) for x in ("3609.79", "1000", "1000.01", "17000", "85000")] == [
        D("4000"),
        D("1000"),
        D("2000"),
        D("20000"),
        D("100000"),
    ]


def test_columns_are_scaled_to_the_axis_and_titled_with_exact_amounts():
    months = [
        {"month": datetime.date(2026, 9, 1), "income": D("2500.00"), "costs": D("1250.00")},
        {"month": datetime.date(2026, 10, 1), "income": D("0"), "costs": D("-50.00")},
    ]
    chart = income_cost_chart(months)
    income, costs, _, refund = chart["columns"]
    assert income.height == 240 * 2500 // 4000  # the plot is 240 high, the axis tops at £4,000
    assert costs.height == 240 * 1250 // 4000
    assert refund.height == 0  # a net credit draws no column; the table shows it
    assert income.title == "Income September 2026: £2,500.00"
    assert [tick["text"] for tick in chart["ticks"]] == [
        "£0.00",
        "£1,000.00",
        "£2,000.00",
        "£3,000.00",
        "£4,000.00",
    ]
