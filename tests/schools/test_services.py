"""The causing-concern rule, without HTTP."""

import datetime

import pytest

from schools.services import set_causing_concern

pytestmark = pytest.mark.django_db


def test_flagging_needs_a_reason_and_a_date(school_a):
    with pytest.raises(ValueError, match="needs a reason and the date it began"):
        set_causing_concern(
            school_a, causing_concern=True, reason="  ", since=datetime.date(2026, 1, 5)
        )
    with pytest.raises(ValueError):
        set_causing_concern(school_a, causing_concern=True, reason="Ofsted: inadequate")
    school_a.refresh_from_db()
    assert school_a.causing_concern is False


def test_clearing_removes_the_reason_and_date(school_a):
    set_causing_concern(
        school_a,
        causing_concern=True,
        reason=" Ofsted: inadequate ",
        since=datetime.date(2026, 1, 5),
    )
    school_a.refresh_from_db()
    assert (school_a.concern_reason, school_a.concern_since) == (
        "Ofsted: inadequate",
        datetime.date(2026, 1, 5),
    )
    school = set_causing_concern(school_a, causing_concern=False, reason="ignored")
    assert (school.causing_concern, school.concern_reason, school.concern_since) == (
        False,
        "",
        None,
    )
    assert school.history.count() == 3
