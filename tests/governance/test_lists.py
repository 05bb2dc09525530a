"""The main lists run the same number of queries for 1 row as for 12."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import (
    Action,
    AgendaItem,
    Meeting,
    Minutes,
    Nomination,
    ProgressReport,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
    today,
)


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["table"].rows)


def add_meeting(board, index):
    meeting = Meeting.objects.create(board=board, title=f"Meeting {index}", date=today())
    AgendaItem.objects.create(meeting=meeting, order=1, title="Item")
    Minutes.objects.create(meeting=meeting, text="x")
    return meeting


def add_group(priority, index):
    now = today()
    group = TaskAndFinishGroup.objects.create(
        code=f"g{index}",
        name=f"Group {index}",
        priority=priority,
        remit="r",
        start_date=now - datetime.timedelta(days=10),
        end_date=now - datetime.timedelta(days=1),
    )
    ProgressReport.objects.create(group=group, rag="red", summary="s")
    TaskGroupDays.objects.create(
        group=group, designation="SLE", date=now, days=Decimal("1"), day_rate=Decimal("350")
    )


def grows(client, url, add, first, more):
    add(first)
    small = query_count(client, url)
    for index in more:
        add(index)
    large = query_count(client, url)
    return small, large


def test_meetings(client_for, board_member, board):
    small, large = grows(
        client_for(board_member),
        reverse("governance:meetings"),
        lambda i: add_meeting(board, i),
        0,
        range(1, 12),
    )
    assert (small[1], large[1]) == (1, 12)
    assert small[0] == large[0]


def test_actions(client_for, board_member, past_meeting):
    def add(index):
        Action.objects.create(
            meeting=past_meeting, description=f"Action {index}", owner="A", due_date=today()
        )

    small, large = grows(
        client_for(board_member), reverse("governance:actions"), add, 0, range(1, 12)
    )
    assert (small[1], large[1]) == (1, 12)
    assert small[0] == large[0]


def test_task_groups(client_for, board_member, priority):
    small, large = grows(
        client_for(board_member),
        reverse("governance:task_groups"),
        lambda i: add_group(priority, i),
        0,
        range(1, 12),
    )
    assert (small[1], large[1]) == (1, 12)
    assert small[0] == large[0]


def test_nominations(client_for, coordinator, head_a, vacant_seat, school_a):
    def add(index):
        Nomination.objects.create(
            seat=vacant_seat,
            nominated_by=head_a,
            nominee_name=f"N {index}",
            nominee_email=f"n{index}@example.org",
            school=school_a,
            statement="s",
        )

    small, large = grows(
        client_for(coordinator), reverse("governance:nominations"), add, 0, range(1, 12)
    )
    assert (small[1], large[1]) == (1, 12)
    assert small[0] == large[0]


def test_vacancies(client_for, head_a, board):
    def add(index):
        Seat.objects.create(board=board, code=f"s{index}", role=Seat.Role.GOVERNOR)

    small, large = grows(client_for(head_a), reverse("governance:vacancies"), add, 0, range(1, 12))
    assert (small[1], large[1]) == (1, 12)
    assert small[0] == large[0]


def test_board_page_queries_do_not_grow_with_seats(client_for, board_member, board, school_a):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client_for(board_member).get(reverse("governance:board", args=[board.code]))
        assert response.status_code == 200
        return len(queries)

    Seat.objects.create(
        board=board, code="s0", role=Seat.Role.HEAD_PRIMARY, holder_name="A", school=school_a
    )
    small = count()
    for index in range(1, 12):
        Seat.objects.create(
            board=board,
            code=f"s{index}",
            role=Seat.Role.HEAD_PRIMARY,
            holder_name="A",
            school=school_a,
        )
    assert count() == small
