"""Pure governance rules: vacancies, term expiry, overdue actions and groups, and the
representation balance of a board against the schools of the partnership.

Plain values in, plain values out; no database, so every rule is tested exactly.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from schools.rules import Category, Governance

EXPIRY_WARNING_DAYS = 60

# Headteacher seats stand for a phase of schools.
PRIMARY, SECONDARY, SPECIAL = "primary", "secondary", "special"
PHASES = ((PRIMARY, "Primary"), (SECONDARY, "Secondary"), (SPECIAL, "Special"))
HEAD_SEAT_PHASES = {"head_primary": PRIMARY, "head_secondary": SECONDARY, "head_special": SPECIAL}
# A school's category decides which headteacher seat represents it. Nursery schools
# sit with primary heads and all-through/16 plus with secondary heads, as in the
# partnerships' forums (HASH / Primary Forum, secondary heads' forum); AP with special.
CATEGORY_PHASES = {
    Category.NURSERY: PRIMARY,
    Category.PRIMARY: PRIMARY,
    Category.SECONDARY: SECONDARY,
    Category.ALL_THROUGH: SECONDARY,
    Category.SIXTEEN_PLUS: SECONDARY,
    Category.SPECIAL: SPECIAL,
    Category.ALTERNATIVE_PROVISION: SPECIAL,
}
# The governance types the board balances (schools.rules.Governance, without "other").
GOVERNANCE_TYPES = tuple((g.value, g.label) for g in Governance if g != Governance.OTHER)
GOVERNANCE_LABELS = dict(Governance.choices)
PHASE_LABELS = dict(PHASES)


def seat_is_vacant(*, has_holder: bool, term_end: datetime.date | None, on: datetime.date) -> bool:
    """Vacant when nobody holds the seat or the holder's term has ended (the last day
    of a term is still within it)."""
    if not has_holder:
        return True
    return term_end is not None and term_end < on


def term_expiring(
    *,
    has_holder: bool,
    term_end: datetime.date | None,
    on: datetime.date,
    within_days: int = EXPIRY_WARNING_DAYS,
) -> bool:
    """A held seat whose term ends within the next 60 days (today included), so the
    board can run an election before it falls vacant."""
    if not has_holder or term_end is None or term_end < on:
        return False
    return (term_end - on).days <= within_days


def action_overdue(*, status: str, due_date: datetime.date, on: datetime.date) -> bool:
    return status == "open" and due_date < on


def group_needs_closing_report(
    *, end_date: datetime.date, has_closing_report: bool, on: datetime.date
) -> bool:
    """Task-and-finish groups are time-limited: one past its end date without a closing
    report is flagged to the board."""
    return end_date < on and not has_closing_report


@dataclass(frozen=True)
class SchoolProfile:
    """A school of the partnership as representation sees it."""

    category: str
    governance: str


@dataclass(frozen=True)
class SeatProfile:
    """A held seat: its role and the school its holder comes from (None when unknown)."""

    role: str
    school_category: str | None = None
    school_governance: str | None = None


@dataclass(frozen=True)
class BalanceRow:
    key: str
    label: str
    schools: int
    seats: int


@dataclass(frozen=True)
class Representation:
    by_phase: list
    by_governance: list
    gaps: list


def school_phase(category: str | None) -> str | None:
    return CATEGORY_PHASES.get(category) if category else None


def seat_phase(seat: SeatProfile) -> str | None:
    """The phase a held headteacher seat speaks for: its holder's school when known,
    otherwise the seat's role."""
    if seat.role not in HEAD_SEAT_PHASES:
        return None
    return school_phase(seat.school_category) or HEAD_SEAT_PHASES[seat.role]


def representation(schools: list[SchoolProfile], held_seats: list[SeatProfile]) -> Representation:
    """Headteacher seats held, by phase and by governance type, against the schools.

    Gaps, in this order:
    - a phase with schools in the partnership but no headteacher seat held for it
      ("no secondary headteacher");
    - within a phase that is represented, a governance type with schools of that
      phase but no seat held by a head from such a school ("no community secondary
      headteacher": Haringey's board, whose secondary seat was an academy head's).
    A head whose school is not known counts for the phase but no governance type.
    """
    heads = [seat for seat in held_seats if seat.role in HEAD_SEAT_PHASES]
    school_phase_counts = Counter(school_phase(s.category) for s in schools)
    school_governance_counts = Counter(s.governance for s in schools)
    school_pairs = Counter((school_phase(s.category), s.governance) for s in schools)
    seat_phase_counts = Counter(seat_phase(seat) for seat in heads)
    seat_governance_counts = Counter(
        seat.school_governance for seat in heads if seat.school_governance
    )
    seat_pairs = Counter(
        (seat_phase(seat), seat.school_governance) for seat in heads if seat.school_governance
    )

    by_phase = [
        BalanceRow(key, label, school_phase_counts.get(key, 0), seat_phase_counts.get(key, 0))
        for key, label in PHASES
    ]
    by_governance = [
        BalanceRow(
            key, label, school_governance_counts.get(key, 0), seat_governance_counts.get(key, 0)
        )
        for key, label in GOVERNANCE_TYPES
    ]
    gaps = []
    for phase, label in PHASES:
        if school_phase_counts.get(phase, 0) and not seat_phase_counts.get(phase, 0):
            gaps.append(f"no {label.lower()} headteacher")
    for phase, phase_label in PHASES:
        if not seat_phase_counts.get(phase, 0):
            continue
        for governance, governance_label in GOVERNANCE_TYPES:
            if school_pairs.get((phase, governance), 0) and not seat_pairs.get(
                (phase, governance), 0
            ):
                gaps.append(f"no {governance_label.lower()} {phase_label.lower()} headteacher")
    return Representation(by_phase=by_phase, by_governance=by_governance, gaps=gaps)


def bar_widths(values, *, full=100):
    """Bar lengths for a chart, in proportion to the largest value (0 when all are 0)."""
    values = list(values)
    top = max(values, default=0)
    if not top:
        return [0 for _ in values]
    return [round(full * value / top) for value in values]
