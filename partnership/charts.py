"""Server-drawn SVG charts, one module for every page that draws one (no script, no CDN).

A chart is a list of SVG shapes worked out here and drawn by one template
(templates/includes/chart.html) inside a <figure> with a title, a description and a legend
in words. Series are told apart by fill pattern (solid, hatched, dotted, outlined) as well as
colour, and every colour has at least 3:1 contrast with white (WCAG non-text contrast).
Each shape carries a <title> with its exact figure, written as the page's table writes it,
so a test can check the chart against the table. The page always shows the same figures as
a table too.
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .money import format_money

ZERO = Decimal("0")
WIDTH = 640
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
# GOV.UK colours with 3:1 or more against white.
BLUE = "#1d70b8"
GREEN = "#00703c"
RED = "#d4351c"
PURPLE = "#4c2c92"
GREY = "#505a5f"


@dataclass(frozen=True)
class Style:
    """How one series is drawn, and its words in the legend."""

    key: str  # a word for pattern ids: letters and hyphens
    name: str
    colour: str
    fill: str = "solid"  # solid, hatched, dotted or outline; line, dashed or point

    def paint(self, chart_key: str) -> str:
        if self.fill in ("hatched", "dotted"):
            return f"url(#chart-{chart_key}-{self.key})"
        if self.fill == "outline":
            return "#ffffff"
        return self.colour


@dataclass(frozen=True)
class Shape:
    tag: str  # rect, line, text, circle or polyline
    attrs: tuple  # (name, value) pairs: names are always this module's own
    text: str = ""
    title: str = ""


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    styles: list
    shapes: list = field(default_factory=list)

    @property
    def patterns(self):
        return [style for style in self.styles if style.fill in ("hatched", "dotted")]

    @property
    def legend(self):
        """Each named style with its fill, for the swatches beside its words."""
        return [{"style": s, "paint": s.paint(self.key)} for s in self.styles if s.name]

    def add(self, tag, text="", title="", **attrs):
        self.shapes.append(
            Shape(
                tag,
                tuple((name.replace("_", "-"), value) for name, value in attrs.items()),
                text,
                title,
            )
        )

    def bar(self, style: Style, x, y, width, height, title):
        self.add(
            "rect",
            title=title,
            x=x,
            y=y,
            width=width,
            height=height,
            fill=style.paint(self.key),
            stroke=style.colour,
            stroke_width=2 if style.fill != "solid" else 0,
        )


def nice_ceiling(value: Decimal) -> Decimal:
    """The axis top: the next 1, 2, 4 or 8 × a power of ten, so its quarters (the ticks)
    are round figures too (£4,000: £1,000, £2,000, £3,000)."""
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 8, 10):
        if value <= step * power:
            return step * power
    return 10 * power


@dataclass(frozen=True)
class Scale:
    """A value axis from `low` (0 or below) to `high`, in round steps, mapped to pixels
    from `top` (the highest value) down to `bottom`."""

    low: Decimal
    high: Decimal
    step: Decimal
    top: int
    bottom: int

    @classmethod
    def fit(cls, values, *, top, bottom, steps=4):
        values = [Decimal(v) for v in values] or [ZERO]
        high, low = max(max(values), ZERO), min(min(values), ZERO)
        step = nice_ceiling(max((high - low) / steps, Decimal("1")))
        # Both ends on a whole number of steps, so zero and every tick fall on round figures.
        high = (high / step).to_integral_value(ROUND_CEILING) * step
        low = (low / step).to_integral_value(ROUND_FLOOR) * step
        if high == low:
            high = low + step
        return cls(low=low, high=high, step=step, top=top, bottom=bottom)

    def y(self, value) -> int:
        share = (Decimal(value) - self.low) / (self.high - self.low)
        return round(self.bottom - share * (self.bottom - self.top))

    @property
    def ticks(self):
        value, ticks = self.low, []
        while value <= self.high:
            ticks.append(value)
            value += self.step
        return ticks


def axis_money(value) -> str:
    """A tick's figure: £ amounts, below zero with a minus sign (−£50,000.00), since a
    tick is a point on a scale and not a surplus or deficit to be put in words."""
    text = format_money(abs(value))
    return f"\u2212{text}" if value < 0 else text


def _money_axis(chart: Chart, scale: Scale, left: int, right: int, label=axis_money):
    for value in scale.ticks:
        y = scale.y(value)
        chart.add("line", x1=left, x2=right, y1=y, y2=y, stroke=GRID, stroke_width=1)
        chart.add("text", text=label(value), x=left - 6, y=y + 5, text_anchor="end")
    zero = scale.y(ZERO)
    chart.add("line", x1=left, x2=right, y1=zero, y2=zero, stroke=TEXT, stroke_width=2)


@dataclass(frozen=True)
class Column:
    value: Decimal
    style: Style
    title: str


@dataclass(frozen=True)
class Group:
    """The columns drawn side by side for one month, option or offer, with an optional
    marker line across them (a budget) and lines of text under the axis."""

    labels: tuple
    columns: tuple
    marker: Column | None = None


def column_chart(*, key, title, description, styles, groups, left=110, height=320) -> Chart:
    """Grouped columns on a money axis; a negative value is drawn below zero."""
    label_lines = max((len(group.labels) for group in groups), default=1)
    top, bottom = 16, height - 20 * label_lines - 16
    values = [column.value for group in groups for column in group.columns]
    values += [group.marker.value for group in groups if group.marker]
    scale = Scale.fit(values, top=top, bottom=bottom)
    chart = Chart(key, title, description, WIDTH, height, list(styles))
    right = WIDTH - 10
    _money_axis(chart, scale, left, right)
    slot = (right - left) / max(len(groups), 1)
    zero = scale.y(ZERO)
    for index, group in enumerate(groups):
        x0 = left + index * slot
        width = max(4, int((slot - 12) / max(len(group.columns), 1)))
        start = x0 + (slot - width * len(group.columns)) / 2
        for n, column in enumerate(group.columns):
            y = scale.y(column.value)
            chart.bar(
                column.style,
                round(start + n * width),
                min(y, zero),
                max(width - 2, 2),
                abs(zero - y),
                column.title,
            )
        if group.marker:
            y = scale.y(group.marker.value)
            style = group.marker.style
            chart.add(
                "line",
                title=group.marker.title,
                x1=round(x0 + 3),
                x2=round(x0 + slot - 3),
                y1=y,
                y2=y,
                stroke=style.colour,
                stroke_width=4,
            )
        for line, text in enumerate(group.labels):
            chart.add(
                "text",
                text=text,
                x=round(x0 + slot / 2),
                y=bottom + 22 + 20 * line,
                text_anchor="middle",
            )
    return chart


@dataclass(frozen=True)
class Row:
    """One horizontal bar: its label above it, stacked parts, an optional marker (a
    capacity) and words at its end."""

    label: str
    parts: tuple  # Column, stacked from the left
    marker: Column | None = None
    note: str = ""


def bar_chart(*, key, title, description, styles, rows, bar_height=22, full=None) -> Chart:
    """Horizontal stacked bars, each with its label and its note on lines above it (so
    long names fit a phone), scaled to the longest bar or marker, or to `full` when the
    scale is fixed (ratings out of 5)."""
    row_height = bar_height + 58
    left, right = 10, WIDTH - 10
    values = [sum((p.value for p in row.parts), ZERO) for row in rows]
    values += [row.marker.value for row in rows if row.marker]
    largest = Decimal(full) if full else nice_ceiling(max([Decimal("1")] + values))

    def length(value):
        return round(Decimal(value) * (right - left) / largest)

    chart = Chart(key, title, description, WIDTH, max(len(rows), 1) * row_height, list(styles))
    for index, row in enumerate(rows):
        y = index * row_height
        chart.add("text", text=row.label, x=left, y=y + 16, font_weight="bold")
        if row.note:
            chart.add("text", text=row.note, x=left, y=y + 36)
        bar_y, x = y + 46, left
        if row.marker:
            # A pale track up to the capacity, so what is left shows as well as what is taken.
            chart.add(
                "rect",
                x=left,
                y=bar_y,
                width=length(row.marker.value),
                height=bar_height,
                fill="#f3f2f1",
            )
        for part in row.parts:
            width = length(part.value)
            if width:
                chart.bar(part.style, x, bar_y, width, bar_height, part.title)
            x += width
        if row.marker:
            mx = left + length(row.marker.value)
            chart.add(
                "line",
                title=row.marker.title,
                x1=mx,
                x2=mx,
                y1=bar_y - 4,
                y2=bar_y + bar_height + 4,
                stroke=row.marker.style.colour,
                stroke_width=4,
            )
    return chart


@dataclass(frozen=True)
class Series:
    style: Style
    points: tuple  # (x, value)
    title: str


@dataclass(frozen=True)
class Point:
    x: Decimal
    value: Decimal
    style: Style
    label: str  # drawn beside the point
    title: str
    below: bool = False  # the label under the point, so two close points' labels part


def line_chart(*, key, title, description, styles, x_label, x_high, series, points, height=340):
    """Lines on a money axis against a count along the bottom (0 to x_high), with labelled
    points (a break-even, where things stand now)."""
    left, right, top, bottom = 110, WIDTH - 20, 16, height - 56
    values = [v for s in series for _, v in s.points] + [p.value for p in points]
    scale = Scale.fit(values, top=top, bottom=bottom)
    chart = Chart(key, title, description, WIDTH, height, list(styles))
    _money_axis(chart, scale, left, right)
    x_high = max(Decimal(x_high), Decimal("1"))
    step = nice_ceiling(max(x_high / 5, Decimal("1")))

    def x_of(x):
        return round(left + Decimal(x) * (right - left) / x_high)

    tick = ZERO
    while tick <= x_high:
        chart.add("text", text=f"{tick:,.0f}", x=x_of(tick), y=bottom + 22, text_anchor="middle")
        tick += step
    chart.add("text", text=x_label, x=(left + right) // 2, y=bottom + 46, text_anchor="middle")
    for line in series:
        dash = {"stroke_dasharray": "10 6"} if line.style.fill == "dashed" else {}
        chart.add(
            "polyline",
            title=line.title,
            points=" ".join(f"{x_of(x)},{scale.y(v)}" for x, v in line.points),
            fill="none",
            stroke=line.style.colour,
            stroke_width=3,
            **dash,
        )
    for point in points:
        px, py = x_of(point.x), scale.y(point.value)
        chart.add(
            "line",
            x1=px,
            x2=px,
            y1=py,
            y2=scale.y(ZERO),
            stroke=point.style.colour,
            stroke_width=2,
            stroke_dasharray="4 4",
        )
        chart.add(
            "circle",
            title=point.title,
            cx=px,
            cy=py,
            r=7,
            fill=point.style.paint(key),
            stroke=point.style.colour,
            stroke_width=3,
        )
        anchor = "end" if px > (left + right) / 2 else "start"
        chart.add(
            "text",
            text=point.label,
            x=px + (-12 if anchor == "end" else 12),
            y=py + (26 if point.below else -12),
            text_anchor=anchor,
        )
    return chart
