"""The demand page's chart (drawn by partnership.charts): each offer's units taken this year
against its capacity, with its waiting list beyond, from the rows the page's table shows."""

from decimal import Decimal

from partnership.charts import BLUE, TEXT, Column, Row, Style, bar_chart
from partnership.words import count_of

TAKEN = Style("taken", "Taken: requested, confirmed, delivered or commissioned (solid)", BLUE)
WAITING = Style("waiting", "Waiting (hatched)", BLUE, "hatched")
CAPACITY = Style("capacity", "Capacity (black line)", TEXT, "line")


def units(value):
    """2.5 or 3, as the page's table writes units (floatformat "-1")."""
    amount = Decimal(value).quantize(Decimal("0.1"))
    return int(amount) if amount == amount.to_integral_value() else amount.normalize()


def demand_chart(rows):
    """None when nothing is booked (the page says so instead)."""
    if not rows:
        return None
    bars = []
    for row in rows:
        name, unit = row.offer.name, row.offer.get_unit_display()
        capacity = row.offer.capacity
        taken = f"{count_of(units(row.taken), unit)} taken"
        note = f"{taken} of {capacity}" if capacity is not None else f"{taken}, no limit"
        if row.waiting:
            note += f"; {units(row.waiting)} waiting"
        bars.append(
            Row(
                label=name,
                note=note,
                parts=(
                    Column(row.taken, TAKEN, f"{name}: {units(row.taken)} taken"),
                    Column(row.waiting, WAITING, f"{name}: {units(row.waiting)} waiting"),
                ),
                marker=(
                    Column(Decimal(capacity), CAPACITY, f"{name}: capacity {capacity}")
                    if capacity is not None
                    else None
                ),
            )
        )
    full = sum(1 for row in rows if row.offer.capacity is not None and row.left == 0)
    return bar_chart(
        key="demand",
        title="Units taken against capacity, by offer",
        description=(
            "A bar for each offer booked this year: solid for the units taken, hatched for "
            "those waiting, and a black line at its capacity where it has one. "
            f"{count_of(len(rows), 'offer')}, {full} of them full. "
            "The table below gives the same figures."
        ),
        styles=(TAKEN, WAITING, CAPACITY),
        rows=bars,
    )
