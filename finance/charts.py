"""A server-drawn SVG column chart of income against costs by month (the page also shows
the same figures as a table, for screen readers and for reading exact amounts)."""

from dataclasses import dataclass
from decimal import Decimal

from partnership.money import format_money

WIDTH = 720
HEIGHT = 300
LEFT = 70
BOTTOM = 40
TOP = 20
INCOME_COLOUR = "#00703c"
COST_COLOUR = "#d4351c"


@dataclass(frozen=True)
class Column:
    x: int
    y: int
    width: int
    height: int
    colour: str
    title: str


def nice_ceiling(value: Decimal) -> Decimal:
    """The axis top: the next 1, 2, 4 or 8 × a power of ten, so its quarters (the ticks)
    are round figures too (£4,000: £1,000, £2,000, £3,000)."""
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def income_cost_chart(months) -> dict:
    """Columns for each month's income (green) and costs (red), scaled to the largest."""
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - 10) // max(len(months), 1)
    bar = max(4, (slot - 8) // 2)
    largest = nice_ceiling(max([Decimal("1")] + [max(m["income"], m["costs"]) for m in months]))
    columns, labels = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot + 4
        for offset, key, colour, name in (
            (0, "income", INCOME_COLOUR, "Income"),
            (bar, "costs", COST_COLOUR, "Costs"),
        ):
            value = max(month[key], Decimal("0"))
            height = int(value * plot_height / largest)
            columns.append(
                Column(
                    x=x + offset,
                    y=TOP + plot_height - height,
                    width=bar,
                    height=height,
                    colour=colour,
                    title=f"{name} {month['month']:%B %Y}: {format_money(month[key])}",
                )
            )
        labels.append({"x": x + bar, "text": f"{month['month']:%b}"})
    ticks = [
        {
            "y": TOP + plot_height - int(plot_height * step / 4),
            "text": format_money(largest * step / 4),
        }
        for step in range(5)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "columns": columns,
        "labels": labels,
        "ticks": ticks,
        "axis_x": LEFT,
        "axis_y": TOP + plot_height,
        "label_y": HEIGHT - 15,
        "right": WIDTH - 10,
        "income_colour": INCOME_COLOUR,
        "cost_colour": COST_COLOUR,
    }
