import datetime

from django.urls import reverse

from governance.models import Board, Priority, Seat
from tests.factories import SchoolFactory


def test_coordinator_adds_a_board_and_a_seat(client_for, coordinator, school_a):
    client = client_for(coordinator)
    response = client.post(
        reverse("governance:board_new"),
        {"code": "sib", "name": "School Improvement Board", "order": 0},
    )
    assert response["Location"] == reverse("governance:board", args=["sib"])
    response = client.post(
        reverse("governance:seat_new", args=["sib"]),
        {
            "code": "primary-1",
            "role": "head_primary",
            "holder_name": "Ann Alpha",
            "school": school_a.pk,
            "term_start": "2026-09-01",
            "term_end": "2029-08-31",
            "order": 1,
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get()
    assert (seat.board.code, seat.holder, seat.school, seat.term_end) == (
        "sib",
        "Ann Alpha",
        school_a,
        datetime.date(2029, 8, 31),
    )


def test_a_seat_term_must_end_after_it_starts_and_codes_are_unique_per_board(
    client_for, coordinator, held_seat
):
    response = client_for(coordinator).post(
        reverse("governance:seat_new", args=[held_seat.board.code]),
        {
            "code": "primary-1",
            "role": "head_primary",
            "term_start": "2026-09-01",
            "term_end": "2026-09-01",
            "order": 0,
        },
    )
    page = response.content.decode()
    assert "This board already has a seat with this code" in page
    assert "The term must end after it starts" in page
    assert Seat.objects.count() == 1


def test_coordinator_adds_a_priority(client_for, coordinator, board_member):
    client_for(coordinator).post(
        reverse("governance:priority_new"),
        {
            "code": "early-years",
            "title": "Early years",
            "description": "GLD",
            "order": 3,
            "status": "active",
        },
    )
    assert list(Priority.objects.values_list("code", "title", "status")) == [
        ("early-years", "Early years", "active")
    ]
    page = client_for(board_member).get(reverse("governance:priorities")).content.decode()
    assert "3. Early years" in page
    assert reverse("governance:priority_new") not in page


def test_board_page_weighs_heads_against_open_schools_and_names_the_gap(
    client_for, board_member, board
):
    community = SchoolFactory(category="secondary", governance="community")
    academy = SchoolFactory(category="secondary", governance="academy")
    SchoolFactory(category="secondary", governance="community", status="closed")
    Seat.objects.create(
        board=board,
        code="sec",
        role=Seat.Role.HEAD_SECONDARY,
        holder_name="Rachel Ahmed",
        school=academy,
    )
    response = client_for(board_member).get(reverse("governance:board", args=[board.code]))
    representation = response.context["representation"]
    assert response.context["weighed_against"] == "open schools in the register"
    assert representation.gaps == ["no community secondary headteacher"]
    assert [(row.key, row.schools, row.seats) for row in representation.by_phase] == [
        ("primary", 0, 0),
        ("secondary", 2, 1),
        ("special", 0, 0),
    ]
    assert "No community secondary headteacher" in response.content.decode()

    Seat.objects.create(
        board=board,
        code="sec-2",
        role=Seat.Role.HEAD_SECONDARY,
        holder_name="Colin",
        school=community,
    )
    response = client_for(board_member).get(reverse("governance:board", args=[board.code]))
    assert response.context["representation"].gaps == []


def test_an_ended_term_no_longer_counts_for_representation(client_for, board_member, board):
    community = SchoolFactory(category="primary", governance="community")
    Seat.objects.create(
        board=board,
        code="p",
        role=Seat.Role.HEAD_PRIMARY,
        holder_name="Old Head",
        school=community,
        term_start=datetime.date(2020, 9, 1),
        term_end=datetime.date(2023, 8, 31),
    )
    response = client_for(board_member).get(reverse("governance:board", args=[board.code]))
    assert response.context["representation"].gaps == ["no primary headteacher"]
    assert response.context["vacant_count"] == 1


def test_boards_list_counts_vacancies(client_for, board_member, board, held_seat, vacant_seat):
    Board.objects.create(code="other", name="Other board", order=1)
    response = client_for(board_member).get(reverse("governance:boards"))
    assert [(b.code, b.seat_count, b.vacancy_count) for b in response.context["boards"]] == [
        ("partnership-board", 2, 1),
        ("other", 0, 0),
    ]
