"""The portal's own table columns."""

import datetime

import django_tables2 as tables
from django.test import RequestFactory

from partnership.tables import DateColumn


class Signings(tables.Table):
    signed = DateColumn(format="d M Y H:i")
    due = DateColumn()
    school = tables.Column()

    def render_school(self, value, record):
        return f"{value} ({record['urn']})"


ROWS = [
    {
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        "signed": datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC),
        "due": datetime.date(2026, 9, 1),
        "school": "Alpha Primary School",
        "urn": "100001",
    }
]


def test_a_date_and_time_is_shown_in_uk_time_and_a_date_as_tables_show_dates():
    row = Signings(ROWS).rows[0]
    assert row.get_cell("signed") == "01 Jul 2026 00:30"
    assert row.get_cell("due") == "01 Sep 2026"


def test_render_methods_still_get_their_own_arguments_row_after_row():
    table = Signings(ROWS * 3)
    table.request = RequestFactory().get("/")
    assert [row.get_cell("school") for row in table.rows] == ["Alpha Primary School (100001)"] * 3


def test_exports_keep_the_values():
    exported = list(Signings(ROWS).as_values())
    assert exported[1][1] == "2026-09-01"
    assert exported[1][0] == datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
