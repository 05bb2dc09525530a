import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from governance.demo import demo_pdf
from governance.models import (
    Action,
    AgendaItem,
    Board,
    Meeting,
    Minutes,
    Nomination,
    Paper,
    Priority,
    ProgressReport,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
    today,
)


@pytest.fixture
def board(db):
    return Board.objects.create(code="partnership-board", name="Partnership Board")


@pytest.fixture
def vacant_seat(board):
    return Seat.objects.create(board=board, code="special-1", role=Seat.Role.HEAD_SPECIAL)


@pytest.fixture
def held_seat(board, school_a):
    now = today()
    return Seat.objects.create(
        board=board,
        code="primary-1",
        role=Seat.Role.HEAD_PRIMARY,
        holder_name="Ann Alpha",
        school=school_a,
        term_start=now - datetime.timedelta(days=100),
        term_end=now + datetime.timedelta(days=600),
    )


@pytest.fixture
def meeting(board):
    return Meeting.objects.create(
        board=board, title="Spring board meeting", date=today() + datetime.timedelta(days=7)
    )


@pytest.fixture
def agenda_item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting, order=1, title="Trading position", presenter="Finance"
    )


@pytest.fixture
def paper(agenda_item, coordinator):
    return Paper.objects.create(
        agenda_item=agenda_item,
        title="Trading position Q3",
        file=ContentFile(demo_pdf("Q3"), name="paper.pdf"),
        original_name="q3.pdf",
        size=len(demo_pdf("Q3")),
        uploaded_by=coordinator,
    )


@pytest.fixture
def draft_minutes(meeting):
    return Minutes.objects.create(meeting=meeting, text="Draft minutes text")


@pytest.fixture
def past_meeting(board):
    meeting = Meeting.objects.create(
        board=board, title="Autumn board meeting", date=today() - datetime.timedelta(days=40)
    )
    Minutes.objects.create(
        meeting=meeting, text="Published minutes text", status=Minutes.Status.PUBLISHED
    )
    return meeting


@pytest.fixture
def action(past_meeting):
    return Action.objects.create(
        meeting=past_meeting,
        description="Circulate the strategy",
        owner="Coordinator",
        due_date=today() - datetime.timedelta(days=1),
    )


@pytest.fixture
def priority(db):
    return Priority.objects.create(code="literacy", title="Literacy", order=1)


@pytest.fixture
def group(priority):
    now = today()
    group = TaskAndFinishGroup.objects.create(
        code="early-reading",
        name="Early reading",
        priority=priority,
        remit="Phonics",
        start_date=now - datetime.timedelta(days=200),
        end_date=now + datetime.timedelta(days=30),
    )
    ProgressReport.objects.create(
        group=group, date=now - datetime.timedelta(days=5), rag="amber", summary="On the way"
    )
    TaskGroupDays.objects.create(
        group=group,
        designation="LLE",
        date=now - datetime.timedelta(days=3),
        days=Decimal("2"),
        day_rate=Decimal("500"),
    )
    return group


@pytest.fixture
def nomination(vacant_seat, head_a, school_a):
    return Nomination.objects.create(
        seat=vacant_seat,
        nominated_by=head_a,
        nominee_name="Ann Alpha",
        nominee_email=head_a.email,
        school=school_a,
        statement="I lead a special resource base.",
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests sign people in with force_login; a slow hasher only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
