"""Category, governance and status from a school's GIAS record: pure rules."""

import pytest

from schools.rules import (
    Category,
    Governance,
    is_maintained,
    school_category,
    school_governance,
    school_status,
)

LAM = "Local authority maintained schools"


@pytest.mark.parametrize(
    "establishment_type, type_group, phase, expected",
    [
        ("Local authority nursery school", LAM, "Nursery", Category.NURSERY),
        ("Community school", LAM, "Primary", Category.PRIMARY),
        ("Academy converter", "Academies", "Middle deemed primary", Category.PRIMARY),
        ("Voluntary aided school", LAM, "Secondary", Category.SECONDARY),
        ("Academy converter", "Academies", "Middle deemed secondary", Category.SECONDARY),
        ("Free schools", "Free Schools", "All-through", Category.ALL_THROUGH),
        ("Academy 16-19 converter", "Academies", "16 plus", Category.SIXTEEN_PLUS),
        ("Community special school", "Special schools", "Not applicable", Category.SPECIAL),
        ("Academy special converter", "Special schools", "Not applicable", Category.SPECIAL),
        # A special school with a phase is still special.
        ("Foundation special school", "Special schools", "Primary", Category.SPECIAL),
        ("Pupil referral unit", LAM, "Not applicable", Category.ALTERNATIVE_PROVISION),
        (
            "Academy alternative provision converter",
            "Academies",
            "Not applicable",
            Category.ALTERNATIVE_PROVISION,
        ),
        (
            "Free schools alternative provision",
            "Free Schools",
            "Secondary",
            Category.ALTERNATIVE_PROVISION,
        ),
        ("Other independent school", "Independent schools", "Not applicable", None),
        ("Community school", LAM, "", None),
    ],
)
def test_category(establishment_type, type_group, phase, expected):
    assert (
        school_category(establishment_type=establishment_type, type_group=type_group, phase=phase)
        == expected
    )


@pytest.mark.parametrize(
    "establishment_type, type_group, expected",
    [
        ("Community school", LAM, Governance.COMMUNITY),
        ("Local authority nursery school", LAM, Governance.COMMUNITY),
        ("Community special school", "Special schools", Governance.COMMUNITY),
        ("Voluntary aided school", LAM, Governance.VOLUNTARY_AIDED),
        ("Voluntary controlled school", LAM, Governance.VOLUNTARY_CONTROLLED),
        ("Foundation school", LAM, Governance.FOUNDATION),
        ("Foundation special school", "Special schools", Governance.FOUNDATION),
        ("Academy converter", "Academies", Governance.ACADEMY),
        ("Academy sponsor led", "Academies", Governance.ACADEMY),
        ("Academy special converter", "Special schools", Governance.ACADEMY),
        ("Free schools", "Free Schools", Governance.ACADEMY),
        ("Non-maintained special school", "Special schools", Governance.OTHER),
        ("Other independent school", "Independent schools", Governance.OTHER),
    ],
)
def test_governance(establishment_type, type_group, expected):
    assert (
        school_governance(establishment_type=establishment_type, type_group=type_group) == expected
    )


def test_only_la_maintained_governance_is_maintained():
    assert [g for g in Governance if is_maintained(g)] == [
        Governance.COMMUNITY,
        Governance.VOLUNTARY_AIDED,
        Governance.VOLUNTARY_CONTROLLED,
        Governance.FOUNDATION,
    ]


@pytest.mark.parametrize(
    "gias_status, expected",
    [
        ("Open", "open"),
        ("Open, but proposed to close", "open"),
        ("Closed", "closed"),
        ("Proposed to open", "closed"),
        ("", "closed"),
    ],
)
def test_status(gias_status, expected):
    assert school_status(gias_status) == expected
