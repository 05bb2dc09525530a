"""Pure governance rules, with exact cases and no database."""

import datetime

import pytest

from governance import rules
from governance.rules import SchoolProfile as School
from governance.rules import SeatProfile as Seat

ON = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    "has_holder, term_end, vacant",
    [
        (False, None, True),
        (False, datetime.date(2027, 1, 1), True),
        (True, None, False),
        (True, datetime.date(2026, 11, 23), False),  # the last day of a term is within it
        (True, datetime.date(2026, 11, 22), True),
    ],
)
def test_a_seat_is_vacant_with_no_holder_or_an_ended_term(has_holder, term_end, vacant):
    assert rules.seat_is_vacant(has_holder=has_holder, term_end=term_end, on=ON) is vacant


@pytest.mark.parametrize(
    "term_end, expiring",
    [
        (datetime.date(2026, 11, 23), True),
        (datetime.date(2027, 1, 22), True),  # 60 days ahead
        (datetime.date(2027, 1, 23), False),  # 61 days ahead
        (datetime.date(2026, 11, 22), False),  # already ended: vacant, not expiring
        (None, False),
    ],
)
def test_a_term_ending_within_60_days_is_flagged(term_end, expiring):
    assert rules.term_expiring(has_holder=True, term_end=term_end, on=ON) is expiring


def test_an_empty_seat_is_not_expiring():
    assert (
        rules.term_expiring(has_holder=False, term_end=datetime.date(2026, 12, 1), on=ON) is False
    )


@pytest.mark.parametrize(
    "status, due, overdue",
    [
        ("open", datetime.date(2026, 11, 22), True),
        ("open", ON, False),
        ("done", datetime.date(2026, 1, 1), False),
    ],
)
def test_an_open_action_past_its_due_date_is_overdue(status, due, overdue):
    assert rules.action_overdue(status=status, due_date=due, on=ON) is overdue


@pytest.mark.parametrize(
    "end, has_report, flagged",
    [
        (datetime.date(2026, 11, 22), False, True),
        (datetime.date(2026, 11, 22), True, False),
        (ON, False, False),
    ],
)
def test_a_group_past_its_end_without_a_closing_report_is_flagged(end, has_report, flagged):
    assert (
        rules.group_needs_closing_report(end_date=end, has_closing_report=has_report, on=ON)
        is flagged
    )


def test_haringey_an_academy_head_in_the_secondary_seat_leaves_community_secondaries_out():
    schools = [
        School("secondary", "community"),
        School("secondary", "community"),
        School("secondary", "academy"),
        School("primary", "community"),
    ]
    seats = [
        Seat("head_secondary", "secondary", "academy"),
        Seat("head_primary", "primary", "community"),
    ]
    result = rules.representation(schools, seats)
    assert result.gaps == ["no community secondary headteacher"]


def test_a_community_secondary_head_closes_the_gap():
    schools = [School("secondary", "community"), School("secondary", "academy")]
    seats = [
        Seat("head_secondary", "secondary", "community"),
        Seat("head_secondary", "secondary", "academy"),
    ]
    assert rules.representation(schools, seats).gaps == []


def test_a_phase_with_schools_but_no_head_is_one_gap_not_one_per_type():
    schools = [
        School("special", "community"),
        School("special", "academy"),
        School("primary", "community"),
    ]
    seats = [Seat("head_primary", "primary", "community")]
    assert rules.representation(schools, seats).gaps == ["no special headteacher"]


def test_every_missing_type_within_a_represented_phase_is_a_gap_in_a_fixed_order():
    schools = [
        School("primary", "community"),
        School("primary", "voluntary_aided"),
        School("primary", "voluntary_controlled"),
        School("primary", "foundation"),
        School("primary", "academy"),
        School("secondary", "academy"),
    ]
    seats = [
        Seat("head_primary", "primary", "community"),
        Seat("head_secondary", "secondary", "academy"),
    ]
    assert rules.representation(schools, seats).gaps == [
        "no voluntary aided primary headteacher",
        "no voluntary controlled primary headteacher",
        "no foundation primary headteacher",
        "no academy or free school primary headteacher",
    ]


def test_counts_by_phase_and_governance():
    schools = [
        School("primary", "community"),
        School("nursery", "community"),
        School("secondary", "academy"),
        School("all_through", "academy"),
        School("special", "community"),
        School("alternative_provision", "other"),
    ]
    seats = [
        Seat("head_primary", "primary", "community"),
        Seat("head_secondary", "secondary", "academy"),
        Seat("head_special"),  # holder's school not known: counts for the phase only
        Seat("governor", "primary", "community"),  # not a headteacher seat
        Seat("chair"),
    ]
    result = rules.representation(schools, seats)
    assert [(row.key, row.schools, row.seats) for row in result.by_phase] == [
        ("primary", 2, 1),
        ("secondary", 2, 1),
        ("special", 2, 1),
    ]
    assert [(row.key, row.schools, row.seats) for row in result.by_governance] == [
        ("community", 3, 1),
        ("voluntary_aided", 0, 0),
        ("voluntary_controlled", 0, 0),
        ("foundation", 0, 0),
        ("academy", 2, 1),
    ]
    # The special head's school is unknown, so the community special school shows as a gap.
    assert result.gaps == ["no community special headteacher"]


def test_a_head_speaks_for_their_schools_phase_not_the_seat_label():
    schools = [School("secondary", "community")]
    seats = [Seat("head_primary", "secondary", "community")]
    assert rules.representation(schools, seats).gaps == []


def test_no_schools_no_gaps():
    assert rules.representation([], []).gaps == []


def test_bar_widths_are_in_proportion_to_the_largest():
    assert rules.bar_widths([0, 5, 10, 3], full=320) == [0, 160, 320, 96]
    assert rules.bar_widths([0, 0], full=320) == [0, 0]
