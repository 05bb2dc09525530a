import datetime

import pytest

from governance.models import Board, Priority, Seat
from partnership.partnership_file import PartnershipFileError, load_text
from tests.factories import SchoolFactory, UserFactory

HEADER = """
format: 1
partnership:
  name: Test Partnership
  local_authority: {code: 312, name: Hillingdon}
"""

BOARDS = (
    HEADER
    + """
boards:
  - code: partnership-board
    name: Partnership Board
    description: Sets the priorities.
    seats:
      - {code: chair, role: chair, holder: Margaret Oyelaran,
         term_start: 2025-09-01, term_end: 2028-08-31}
      - {code: secondary-1, role: head_secondary, holder: Rachel Ahmed, email: Rachel@Example.org,
         school_urn: 137506, term_start: 2025-09-01, term_end: 2027-08-31}
      - {code: special-1, role: head_special}
priorities:
  - {code: literacy, title: Literacy, description: Reading for all}
  - {code: post-16, title: Post-16 attainment, status: active}
"""
)


@pytest.fixture
def academy(db):
    return SchoolFactory(
        urn="137506", name="Uxbridge Heights Academy", category="secondary", governance="academy"
    )


def test_boards_seats_and_priorities_load_and_reload_without_duplicates(
    academy, partnership_record
):
    rachel = UserFactory(email="rachel@example.org")
    summary = load_text(BOARDS)
    assert summary["boards"] == "1 created, 0 updated; seats 3 created, 0 updated"
    assert summary["priorities"] == "2 created, 0 updated"
    summary = load_text(BOARDS)
    assert summary["boards"] == "0 created, 1 updated; seats 0 created, 3 updated"
    assert (
        Board.objects.count() == 1 and Seat.objects.count() == 3 and Priority.objects.count() == 2
    )

    seat = Seat.objects.get(code="secondary-1")
    assert (seat.role, seat.holder_name, seat.holder_email, seat.holder_user, seat.school) == (
        "head_secondary",
        "Rachel Ahmed",
        "rachel@example.org",
        rachel,
        academy,
    )
    assert (seat.term_start, seat.term_end, seat.order) == (
        datetime.date(2025, 9, 1),
        datetime.date(2027, 8, 31),
        1,
    )
    assert Seat.objects.get(code="special-1").vacant
    assert list(Priority.objects.values_list("code", "order")) == [("literacy", 1), ("post-16", 2)]


def test_every_problem_is_reported_with_its_path_and_nothing_is_loaded(db):
    text = (
        HEADER
        + """
boards:
  - code: partnership-board
    name: Partnership Board
    seats:
      - {code: chair, role: president}
      - {code: chair, role: governor, email: not-an-email}
      - {code: sec, role: head_secondary, holder: A, school_urn: 999999,
         term_start: 2026-09-01, term_end: 2026-08-01}
      - {code: gov, role: governor, term_start: someday, colour: blue}
  - {name: No code}
priorities:
  - {code: literacy, title: Literacy, status: maybe}
"""
    )
    with pytest.raises(PartnershipFileError) as error:
        load_text(text)
    assert error.value.problems == [
        "boards[0].seats[0].role: must be one of chair, governor, head_primary, head_secondary, "
        "head_special, "
        "la_officer, other",
        "boards[0].seats[1].code: duplicate code 'chair'",
        "boards[0].seats[1].email: not an email address",
        "boards[0].seats[1].holder: is required when an email is given",
        "boards[0].seats[2].school_urn: no school with URN 999999 in the register",
        "boards[0].seats[2].term_end: must be after term_start",
        "boards[0].seats[3].colour: unknown key",
        "boards[1].code: is required",
        "priorities[0].status: must be one of achieved, active, retired",
    ]
    assert Board.objects.count() == 0 and Priority.objects.count() == 0


def test_a_bad_date_is_reported(db):
    text = (
        HEADER
        + """
boards:
  - code: b
    name: B
    seats:
      - {code: gov, role: governor, term_start: someday}
"""
    )
    with pytest.raises(PartnershipFileError) as error:
        load_text(text)
    assert error.value.problems == ["boards[0].seats[0].term_start: not a date like 2026-01-15"]
