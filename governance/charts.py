"""Server-drawn horizontal bar charts (SVG) with the same figures as a table."""

from dataclasses import dataclass

from .rules import bar_widths

LABEL_WIDTH = 200
BAR_AREA = 320
ROW_HEIGHT = 32
BAR_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    display: str
    y: int
    width: int
    text_y: int
    value_x: int
    css: str


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    headers: tuple
    bars: list
    height: int
    width: int = LABEL_WIDTH + BAR_AREA + 100
    label_width: int = LABEL_WIDTH

    @property
    def label_x(self):
        return self.label_width - 8


def bar_chart(key, title, rows, *, headers=("Item", "Value")):
    """rows: (label, value, display text, css class) with numeric values >= 0."""
    rows = list(rows)
    widths = bar_widths([max(value, 0) for _, value, _, _ in rows], full=BAR_AREA)
    bars = []
    for index, ((label, value, display, css), width) in enumerate(zip(rows, widths, strict=True)):
        y = index * ROW_HEIGHT + 6
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT - 5,
                value_x=LABEL_WIDTH + width + 6,
                css=css,
            )
        )
    return BarChart(
        key=key, title=title, headers=headers, bars=bars, height=max(len(rows), 1) * ROW_HEIGHT + 12
    )
