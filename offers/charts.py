"""The demand page's chart (drawn by partnership.charts): each offer's units taken this year
against its capacity, with its waiting list beyond, from the rows the page's table shows."""

from decimal import Decimal

from partnership.charts import BLUE, GREEN, GREY, RED, TEXT, Column, Row, Style, bar_chart
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


# The board's RAG, told apart by fill as well as colour; amber darkened to 4.7:1 on white.
MET = Style("met", "Met (solid green)", GREEN)
PARTLY = Style("partly", "Partly met (hatched amber)", "#b35c00", "hatched")
NOT_MET = Style("not-met", "Not met (dotted red)", RED, "dotted")
NOT_REVIEWED = Style("not-reviewed", "Not yet reviewed (outlined grey)", GREY, "outline")


def impact_chart(*, key: str, heading: str, rows):
    """One group of the impact report (by strand, by provider, for schools causing concern)
    as stacked bars: each row's objectives met, partly met, not met and not yet reviewed,
    from the rows its table shows. None when there are no objectives."""
    if not rows:
        return None
    bars = []
    for row in rows:
        parts = (
            (row.met, MET, "met"),
            (row.partly, PARTLY, "partly met"),
            (row.not_met, NOT_MET, "not met"),
            (row.not_reviewed, NOT_REVIEWED, "not yet reviewed"),
        )
        bars.append(
            Row(
                label=row.label,
                note=(
                    f"{row.met} of {count_of(row.total, 'objective')} met, {row.reviewed} reviewed"
                ),
                parts=tuple(
                    Column(Decimal(value), style, f"{row.label}: {value} {words}")
                    for value, style, words in parts
                ),
            )
        )
    met = sum(row.met for row in rows)
    total = sum(row.total for row in rows)
    return bar_chart(
        key=key,
        title=f"Objectives met, {heading.lower()}",
        description=(
            f"A bar for each row of the table below ({heading.lower()}), split into the "
            "objectives met (solid green), partly met (hatched amber), not met (dotted red) "
            f"and not yet reviewed (outlined grey). {met} of "
            f"{count_of(total, 'objective')} met in all. The table gives the same figures."
        ),
        styles=(MET, PARTLY, NOT_MET, NOT_REVIEWED),
        rows=bars,
    )


RATING = Style("rating", "", BLUE)


def rating_chart(*, key: str, title: str, rows):
    """Average ratings as bars on a fixed scale of 5 (an average of 5 fills the bar), from
    the rows its table shows: (label, average or None). A row with no answers has no bar
    and says so. None when there are no rows."""
    if not rows:
        return None
    return bar_chart(
        key=key,
        title=title,
        description=(
            "A bar for each row, its length the average rating out of 5: "
            + "; ".join(
                f"{label}: {'no answers' if average is None else average}"
                for label, average in rows
            )
            + ". The table gives the same figures."
        ),
        styles=(),
        rows=[
            Row(
                label=label,
                note="No answers yet" if average is None else f"{average} out of 5",
                parts=()
                if average is None
                else (Column(Decimal(str(average)), RATING, f"{label}: {average}"),),
            )
            for label, average in rows
        ],
        full=5,
    )
