"""The demand page's chart: each offer's units taken, waiting and capacity, as its table."""

import re

import pytest
from django.urls import reverse

from tests.chart_reading import chart_shapes, chart_titles

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR, book_schools

pytestmark = pytest.mark.django_db


def table_row(page, name):
    """The demand table's cells for one offer, by column heading."""
    table = page[page.index('aria-label="Units booked by status"') :]
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)[1:]
    row = re.search(rf'<th scope="row"[^>]*>{name}</th>(.*?)</tr>', table, re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return dict(zip(headings, cells, strict=True))


def test_the_chart_draws_what_the_table_says_each_offer_has_taken_and_waiting(
    client_for, coordinator, peer_review, members
):
    book_schools(peer_review, 3)  # its capacity is 2: one waits
    page = client_for(coordinator).get(reverse("offers:demand"), {"year": YEAR}).content.decode()
    cells = table_row(page, "Peer review")
    capacity = cells["Capacity left"].split(" of ")[1]
    assert chart_titles(page, "demand") == [
        f"Peer review: {cells['Taken']} taken",
        f"Peer review: {cells['Waiting']} waiting",
        f"Peer review: capacity {capacity}",
    ]
    assert cells["Taken"] != "0" and cells["Waiting"] != "0"  # the fixture books it full
    taken, waiting = chart_shapes(page, "demand", "rect")
    assert taken["fill"] == "#1d70b8" and waiting["fill"] == "url(#chart-demand-waiting)"
    (full,) = chart_shapes(page, "demand", "line")
    assert int(full["x1"]) == int(taken["x"]) + int(taken["width"])  # full: taken meets capacity
    assert 'role="img"' in page and "1 offer, 1 of them full" in page


def test_a_year_with_no_bookings_says_so_instead_of_drawing_a_chart(client_for, coordinator):
    page = client_for(coordinator).get(reverse("offers:demand"), {"year": YEAR}).content.decode()
    assert "No bookings yet for 2026/27, so there is no chart." in page
    assert "portal-chart-figure" not in page
