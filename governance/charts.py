"""The board dashboard's charts, drawn by the shared chart module (partnership/charts.py,
templates/includes/chart.html) from the figures its tables show. Each keeps its rows, so a
chart without a fuller table under it offers them as a table too."""

from dataclasses import dataclass
from decimal import Decimal

from partnership.charts import BLUE, GREEN, RED, TEXT, Chart, Column, Row, Style
from partnership.charts import bar_chart as shared_bar_chart

# Told apart by fill as well as colour; amber darkened to 4.7:1 on white, as the impact
# report's RAG chart does.
STYLES = {
    "blue": Style("count", "", BLUE),
    "green": Style("income", "", GREEN),
    "red": Style("spend", "", RED, "dotted"),
    "amber": Style("amber", "", "#b35c00", "hatched"),
}
OUT_OF = Style("out-of", "", TEXT, "line")


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    display: str


@dataclass(frozen=True)
class BarChart:
    """A chart and the rows it draws, for its table alternative."""

    chart: Chart
    headers: tuple
    bars: list

    @property
    def title(self):
        return self.chart.title


def bar_chart(key, title, rows, *, headers=("Item", "Value"), description="", out_of=None):
    """rows: (label, value, display text, style: "blue", "green", "red" or "amber"), values
    of 0 or more. Each bar's label sits above it, its figure under the label. `out_of`, one
    value a row (the open schools members are counted from), draws a pale track to it
    ended by a black line, so what is left shows as well as what is taken."""
    rows = list(rows)
    bars = [Bar(label, value, display) for label, value, display, _ in rows]
    out_of = list(out_of) if out_of is not None else [None] * len(rows)
    chart = shared_bar_chart(
        key=key,
        title=title,
        description=description
        or "; ".join(f"{bar.label}: {bar.display}" for bar in bars)
        + ". The table gives the same figures.",
        styles=(),
        rows=[
            Row(
                label=label,
                note=display,
                parts=(Column(Decimal(max(value, 0)), STYLES[style], f"{label}: {display}"),),
                marker=None
                if whole is None
                else Column(Decimal(whole), OUT_OF, f"{label}: out of {whole}"),
            )
            for (label, value, display, style), whole in zip(rows, out_of, strict=True)
        ],
    )
    return BarChart(chart=chart, headers=headers, bars=bars)
