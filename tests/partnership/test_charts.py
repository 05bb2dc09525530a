"""The shared SVG charts: scales with round ticks, negatives below zero, labels."""

from decimal import Decimal

from partnership.charts import (
    BLUE,
    RED,
    Column,
    Group,
    Row,
    Scale,
    Style,
    axis_money,
    bar_chart,
    column_chart,
    nice_ceiling,
)

D = Decimal
SOLID = Style("a", "A (solid)", BLUE)
HATCHED = Style("b", "B (hatched)", RED, "hatched")


def test_the_axis_tops_at_a_round_figure():
    assert [nice_ceiling(D(x)) for x in ("3609.79", "1000", "1000.01", "17000", "85000")] == [
        D("4000"),
        D("1000"),
        D("2000"),
        D("20000"),
        D("100000"),
    ]


def test_a_scale_below_zero_puts_zero_on_a_tick():
    scale = Scale.fit([D("94650"), D("-103650")], top=0, bottom=200)
    assert (scale.low, scale.high, scale.step) == (D("-160000"), D("160000"), D("80000"))
    assert D("0") in scale.ticks
    assert scale.y(scale.high) == 0 and scale.y(scale.low) == 200 and scale.y(0) == 100
    assert axis_money(D("-80000")) == "\u2212£80,000.00"


def rects(chart):
    """The bars that carry a figure (not a capacity's pale track)."""
    return [
        dict(shape.attrs) | {"title": shape.title}
        for shape in chart.shapes
        if shape.tag == "rect" and shape.title
    ]


def test_a_negative_column_hangs_below_the_zero_line_and_a_positive_one_stands_on_it():
    chart = column_chart(
        key="t",
        title="T",
        description="D",
        styles=[SOLID, HATCHED],
        groups=[
            Group(
                labels=("One",),
                columns=(Column(D("300"), SOLID, "up"), Column(D("-100"), HATCHED, "down")),
            )
        ],
    )
    zero = next(dict(s.attrs)["y1"] for s in chart.shapes if dict(s.attrs).get("stroke-width") == 2)
    up, down = rects(chart)
    assert up["y"] + up["height"] == zero and up["height"] > 0
    assert down["y"] == zero and down["height"] > 0
    assert up["height"] == 3 * down["height"]
    assert up["fill"] == BLUE and down["fill"] == "url(#chart-t-b)"  # a pattern, not colour alone


def test_bars_are_scaled_to_the_largest_bar_or_marker():
    chart = bar_chart(
        key="t",
        title="T",
        description="D",
        styles=[SOLID],
        rows=[
            Row("Half", (Column(D("5"), SOLID, "5"),), marker=Column(D("10"), SOLID, "of 10")),
            Row("None", (Column(D("0"), SOLID, "0"),)),
        ],
    )
    (half,) = rects(chart)  # nothing is drawn for nothing
    capacity = next(dict(s.attrs) for s in chart.shapes if s.title == "of 10")
    assert capacity["x1"] - half["x"] == 2 * half["width"]
    (track,) = [dict(s.attrs) for s in chart.shapes if s.tag == "rect" and not s.title]
    assert track["width"] == 2 * half["width"]  # the track runs to the capacity


def test_bars_may_be_drawn_on_a_fixed_scale():
    chart = bar_chart(
        key="t",
        title="T",
        description="D",
        styles=[SOLID],
        rows=[Row("Rated", (Column(D("2.5"), SOLID, "2.5"),))],
        full=5,
    )
    (half,) = rects(chart)
    assert half["width"] == (640 - 20) // 2  # 2.5 of 5 fills half the width, not of 4 or 8
