"""The finance pages' charts (drawn by partnership.charts), each from the figures its page
already shows in a table: never worked out a second way."""

from decimal import Decimal

from partnership.charts import (
    BLUE,
    GREEN,
    GREY,
    PURPLE,
    RED,
    TEXT,
    Column,
    Group,
    Point,
    Series,
    Style,
    column_chart,
    line_chart,
)
from partnership.money import format_money, surplus_words

ZERO = Decimal("0")
SIDES = (("income", "Income", GREEN), ("costs", "Costs", RED))


def trading_charts(months, current) -> list:
    """Income and costs by month, one chart each: months to `current` (this month) show
    what was recorded (solid), later months the forecast (hatched), and a black line
    across each month its budget. No chart when the year has nothing budgeted or recorded."""
    figures = [
        month[key]
        for month in months
        for key in ("income", "costs", "budget_income", "budget_costs")
        + ("forecast_income", "forecast_costs")
    ]
    if not any(figures):
        return []
    done = [month for month in months if month["month"] <= current]
    to_come = [month for month in months if month["month"] > current]
    charts = []
    for key, name, colour in SIDES:
        actual = Style("actual", "", colour, "solid")
        forecast = Style("forecast", "", colour, "hatched")
        budget = Style("budget", "Budget (black line across the month)", TEXT, "line")
        styles = []
        if done:
            actual = Style("actual", f"{name} recorded, {_months(done)} (solid)", colour, "solid")
            styles.append(actual)
        if to_come:
            forecast = Style(
                "forecast", f"{name} forecast, {_months(to_come)} (hatched)", colour, "hatched"
            )
            styles.append(forecast)
        styles.append(budget)
        groups = []
        for month in months:
            is_done = month["month"] <= current
            value = month[key] if is_done else month[f"forecast_{key}"]
            when = f"{month['month']:%B %Y}"
            groups.append(
                Group(
                    labels=(f"{month['month']:%b}",),
                    columns=(
                        Column(
                            value,
                            actual if is_done else forecast,
                            f"{name} {when}: {'recorded' if is_done else 'forecast'} "
                            f"{format_money(value)}",
                        ),
                    ),
                    marker=Column(
                        month[f"budget_{key}"],
                        budget,
                        f"{name} {when}: budget {format_money(month[f'budget_{key}'])}",
                    ),
                )
            )
        charts.append(
            column_chart(
                key=f"trading-{key}",
                title=f"{name} by month: recorded, forecast and budget",
                description=(
                    f"A column for each month of the financial year: solid columns are "
                    f"{name.lower()} recorded"
                    + (f" ({_months(done)})" if done else "")
                    + ", hatched columns the forecast"
                    + (f" ({_months(to_come)})" if to_come else "")
                    + ", and a black line across each month is its budget. "
                    "The table below gives the same figures."
                ),
                styles=styles,
                groups=groups,
            )
        )
    return charts


def _months(months) -> str:
    first, last = months[0]["month"], months[-1]["month"]
    if first == last:
        return f"{first:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


SCENARIO_STYLES = (
    Style("income", "Income (solid)", BLUE, "solid"),
    Style("costs", "Costs (hatched)", RED, "hatched"),
    Style("surplus", "Surplus or deficit (dotted; a deficit below the line)", PURPLE, "dotted"),
)


def scenario_chart(results):
    """Each option's income, costs and surplus or deficit (a deficit below zero), its
    surplus or deficit written under it as every page writes one."""
    income, costs, surplus = SCENARIO_STYLES
    groups = []
    for result in results:
        short = result.name.split(":")[0]
        groups.append(
            Group(
                labels=(short, surplus_words(result.surplus)),
                columns=(
                    Column(result.income, income, f"{short} income: {format_money(result.income)}"),
                    Column(result.costs, costs, f"{short} costs: {format_money(result.costs)}"),
                    Column(result.surplus, surplus, f"{short}: {surplus_words(result.surplus)}"),
                ),
            )
        )
    summary = "; ".join(f"{r.name}: {surplus_words(r.surplus)}" for r in results)
    return column_chart(
        key="scenarios",
        title="Income, costs and surplus or deficit by option",
        description=(
            "For each option, columns for its income, its costs and its surplus or deficit, "
            f"a deficit drawn below the zero line. {summary}. The table gives the same figures."
        ),
        styles=SCENARIO_STYLES,
        groups=groups,
        height=340,
    )


BREAK_EVEN_STYLES = (
    Style("income", "Income with this many member schools at the average fee", BLUE, "line"),
    Style("costs", "Core costs", RED, "dashed"),
    Style("break-even", "Break-even", TEXT, "point"),
    Style("members", "Member schools now", GREY, "point"),
)


def break_even_points(report) -> list:
    """The points the break-even chart marks, for its table: no members, members now and
    the break-even."""
    r = report.result
    now = report.member_schools
    return [
        {
            "where": "No member schools (budgeted income only)",
            "schools": 0,
            "income": r.income_with(0),
        },
        {"where": "Member schools now", "schools": now, "income": r.income_with(now)},
        {
            "where": "Break-even",
            "schools": r.schools_needed,
            "income": r.income_with(r.schools_needed),
        },
    ]


def break_even_chart(report):
    """Income (budgeted income plus the members' fees at the page's average fee) against
    core costs as the number of member schools grows: where the lines cross is the
    break-even the page gives, and the partnership's members now are marked. None without
    an average fee (the page asks for one)."""
    r = report.result
    if not r.average_fee or r.schools_needed is None:
        return None
    income, costs, break_even, members = BREAK_EVEN_STYLES
    now = report.member_schools
    high = max(r.schools_needed, now, 1) * Decimal("1.25")
    top = int(high.to_integral_value()) + 1
    return line_chart(
        key="break-even",
        title="Break-even: income against core costs by number of member schools",
        description=(
            f"Income rises by the average fee of {format_money(r.average_fee)} with each "
            f"member school, from the budgeted income of {format_money(r.budgeted_income)}; "
            f"core costs are {format_money(r.core_costs)}. They meet at "
            f"{r.schools_needed} schools (the break-even); there are {now} member schools "
            f"now, bringing in {format_money(r.income_with(now))}. "
            "The table gives the same figures."
        ),
        styles=BREAK_EVEN_STYLES,
        x_label="Member schools",
        x_high=top,
        series=(
            Series(
                income,
                ((0, r.budgeted_income), (top, r.income_with(top))),
                f"Income: {format_money(r.budgeted_income)} plus "
                f"{format_money(r.average_fee)} a school",
            ),
            Series(
                costs,
                ((0, r.core_costs), (top, r.core_costs)),
                f"Core costs: {format_money(r.core_costs)}",
            ),
        ),
        points=(
            Point(
                r.schools_needed,
                r.income_with(r.schools_needed),
                break_even,
                f"Break-even: {r.schools_needed}",
                f"Break-even at {r.schools_needed} schools: income "
                f"{format_money(r.income_with(r.schools_needed))}",
            ),
            Point(
                now,
                r.income_with(now),
                members,
                f"Now: {now}",
                f"Now, {now} member schools: income {format_money(r.income_with(now))}",
                below=True,
            ),
        ),
    )


PLAN_STYLES = SCENARIO_STYLES


def plan_chart(figures):
    """A three-year plan's income, costs and surplus or deficit by year (a deficit below
    zero), drawn as the scenarios are; each year's surplus or deficit written under it."""
    income, costs, surplus = PLAN_STYLES
    groups = [
        Group(
            labels=(name, surplus_words(year.surplus)),
            columns=(
                Column(year.income, income, f"{name} income: {format_money(year.income)}"),
                Column(year.costs, costs, f"{name} costs: {format_money(year.costs)}"),
                Column(year.surplus, surplus, f"{name}: {surplus_words(year.surplus)}"),
            ),
        )
        for name, year in figures.by_year()
    ]
    summary = "; ".join(
        f"{name}: {surplus_words(year.surplus)}" for name, year in figures.by_year()
    )
    return column_chart(
        key="plan",
        title="Income, costs and surplus or deficit by year",
        description=(
            "For each year of the plan, columns for its income, its costs and its surplus or "
            f"deficit, a deficit drawn below the zero line. {summary}. The table below gives "
            "the same figures."
        ),
        styles=PLAN_STYLES,
        groups=groups,
        height=340,
    )
