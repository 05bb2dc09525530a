"""Every governance URL, for every role: anonymous people sign in, the wrong role gets
403, board papers only reach board members and coordinators."""

import pytest
from django.urls import reverse

ROLES = ["head_a", "head_b", "coordinator", "finance_officer", "board_member", "practitioner_user"]
BOARD_READERS = {"coordinator", "board_member"}
MANAGERS = {"coordinator"}
MINUTES_READERS = {"head_a", "finance_officer", "board_member", "coordinator"}
NOMINATORS = {"head_a", "board_member", "coordinator"}

# (url name, kwargs built from the fixtures, who may use it)
URLS = [
    ("governance:boards", {}, BOARD_READERS),
    ("governance:board_new", {}, MANAGERS),
    ("governance:board", {"code": "board.code"}, BOARD_READERS),
    ("governance:board_edit", {"code": "board.code"}, MANAGERS),
    ("governance:seat_new", {"code": "board.code"}, MANAGERS),
    ("governance:seat_edit", {"pk": "held_seat.pk"}, MANAGERS),
    ("governance:vacancies", {}, NOMINATORS),
    ("governance:nominations", {}, NOMINATORS),
    ("governance:nominate", {}, NOMINATORS),
    ("governance:meetings", {}, BOARD_READERS),
    ("governance:meeting_new", {}, MANAGERS),
    ("governance:meeting", {"pk": "meeting.pk"}, BOARD_READERS),
    ("governance:meeting_edit", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:agenda_item_new", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:paper_new", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:minutes_edit", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:decision_new", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:action_new", {"pk": "meeting.pk"}, MANAGERS),
    ("governance:paper_download", {"pk": "paper.pk"}, BOARD_READERS),
    ("governance:actions", {}, BOARD_READERS),
    ("governance:minutes_list", {}, MINUTES_READERS),
    ("governance:minutes", {"pk": "past_meeting.pk"}, MINUTES_READERS),
    ("governance:priorities", {}, BOARD_READERS),
    ("governance:priority_new", {}, MANAGERS),
    ("governance:priority_edit", {"pk": "priority.pk"}, MANAGERS),
    ("governance:task_groups", {}, BOARD_READERS),
    ("governance:task_group_new", {}, MANAGERS),
    ("governance:task_group", {"pk": "group.pk"}, BOARD_READERS),
    ("governance:task_group_edit", {"pk": "group.pk"}, MANAGERS),
    ("governance:allocation_new", {"pk": "group.pk"}, MANAGERS),
    ("governance:days_used_new", {"pk": "group.pk"}, MANAGERS),
    ("governance:progress_report_new", {"pk": "group.pk"}, MANAGERS),
    ("governance:recommendation_new", {"pk": "group.pk"}, MANAGERS),
    ("governance:task_group_close", {"pk": "group.pk"}, MANAGERS),
    ("governance:dashboard", {}, BOARD_READERS),
]


@pytest.fixture
def governance_records(
    request,
    partnership_record,
    board,
    held_seat,
    vacant_seat,
    meeting,
    agenda_item,
    paper,
    draft_minutes,
    past_meeting,
    action,
    priority,
    group,
    nomination,
):
    return {
        name: request.getfixturevalue(name)
        for name in ("board", "held_seat", "meeting", "paper", "past_meeting", "priority", "group")
    }


def url_for(name, kwargs, records):
    resolved = {}
    for key, spec in kwargs.items():
        fixture, attribute = spec.split(".")
        resolved[key] = getattr(records[fixture], attribute)
    return reverse(name, kwargs=resolved)


@pytest.mark.parametrize("name, kwargs, allowed", URLS, ids=[u[0] for u in URLS])
def test_anonymous_people_are_sent_to_sign_in(
    client_for, governance_records, name, kwargs, allowed
):
    url = url_for(name, kwargs, governance_records)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name, kwargs, allowed", URLS, ids=[u[0] for u in URLS])
def test_each_role_sees_only_what_it_may(
    request, client_for, governance_records, who, name, kwargs, allowed
):
    url = url_for(name, kwargs, governance_records)
    response = client_for(request.getfixturevalue(who)).get(url)
    # Nothing here belongs to a school: a headteacher of another school (head_b) may
    # use exactly what head_a may (their own nominations are tested separately).
    role = "head_a" if who == "head_b" else who
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("who", ROLES)
def test_only_coordinators_mark_an_action_done(
    request, client_for, governance_records, action, who
):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("governance:action_done", args=[action.pk])
    )
    action.refresh_from_db()
    if who == "coordinator":
        assert response.status_code == 302
        assert action.status == "done"
    else:
        assert response.status_code == 403
        assert action.status == "open"


def test_anonymous_cannot_mark_an_action_done(client_for, governance_records, action):
    response = client_for(None).post(reverse("governance:action_done", args=[action.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "open"


@pytest.mark.parametrize(
    "who, status",
    [
        ("coordinator", 200),
        ("head_a", 200),
        ("head_b", 404),
        ("board_member", 404),
        ("finance_officer", 403),
        ("practitioner_user", 403),
        (None, 302),
    ],
)
def test_a_nomination_is_seen_by_its_nominator_and_the_coordinator_only(
    request, client_for, nomination, who, status
):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(reverse("governance:nomination", args=[nomination.pk]))
    assert response.status_code == status


def test_a_headteacher_of_another_school_does_not_see_others_nominations_in_the_list(
    client_for, nomination, head_b
):
    response = client_for(head_b).get(reverse("governance:nominations"))
    assert response.status_code == 200
    assert "Ann Alpha" not in response.content.decode()


@pytest.mark.parametrize("who", ["head_a", "finance_officer"])
def test_draft_minutes_are_not_found_by_headteachers_or_finance(
    request, client_for, meeting, draft_minutes, who
):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("governance:minutes", args=[meeting.pk])
    )
    assert response.status_code == 404


def test_papers_have_no_public_media_url(client_for, paper, board_member):
    media_path = "/media/" + paper.file.name
    assert client_for(board_member).get(media_path).status_code == 404
    assert client_for(None).get(media_path).status_code == 404
