import datetime

import pytest
from django.urls import reverse

from governance import navigation
from governance.models import Action, Seat, today


@pytest.mark.parametrize(
    "who, labels",
    [
        (
            "board_member",
            ["Board", "Meetings", "Task-and-finish", "Partnership dashboard", "Priorities"]
            + ["Actions"],
        ),
        (
            "coordinator",
            ["Board", "Meetings", "Task-and-finish", "Partnership dashboard", "Priorities"]
            + ["Actions", "Nominations"],
        ),
        ("head_a", ["Board minutes"]),
        ("finance_officer", ["Board minutes"]),
        ("practitioner_user", []),
    ],
)
def test_menu_items_by_role(request, who, labels):
    assert [item.label for item in navigation.items(request.getfixturevalue(who))] == labels


def test_board_member_dashboard_shows_next_meeting_papers_overdue_actions_and_flagged_groups(
    client_for, board_member, meeting, paper, past_meeting, priority
):
    from governance.models import TaskAndFinishGroup

    Action.objects.create(
        meeting=past_meeting,
        description="Send the audit",
        owner="Chair",
        due_date=today() - datetime.timedelta(days=3),
    )
    TaskAndFinishGroup.objects.create(
        code="old",
        name="Old group",
        priority=priority,
        remit="r",
        start_date=today() - datetime.timedelta(days=90),
        end_date=today() - datetime.timedelta(days=2),
    )
    page = client_for(board_member).get(reverse("dashboard")).content.decode()
    assert "Spring board meeting" in page
    assert reverse("governance:paper_download", args=[paper.pk]) in page
    assert "Send the audit (Chair" in page
    assert "Old group" in page


def test_coordinator_dashboard_shows_vacancies_and_nominations_to_decide(
    client_for, coordinator, nomination, board
):
    Seat.objects.create(board=board, code="gov", role=Seat.Role.GOVERNOR)
    page = client_for(coordinator).get(reverse("dashboard")).content.decode()
    assert "Nominations to decide" in page
    assert reverse("governance:nomination", args=[nomination.pk]) in page
    assert "Partnership Board: Headteacher representative (special) (1 nomination)" in page
    assert "Partnership Board: Governor" in page


def test_coordinator_dashboard_lists_terms_ending_within_60_days(
    client_for, coordinator, held_seat
):
    held_seat.term_end = today() + datetime.timedelta(days=60)
    held_seat.save()
    page = client_for(coordinator).get(reverse("dashboard")).content.decode()
    assert "Terms ending within 60 days" in page
    assert "Headteacher representative (primary), Ann Alpha" in page
    held_seat.term_end = today() + datetime.timedelta(days=61)
    held_seat.save()
    assert (
        "Terms ending within 60 days"
        not in client_for(coordinator).get(reverse("dashboard")).content.decode()
    )


def test_headteacher_dashboard_links_published_minutes_and_vacancies(
    client_for, head_a, past_meeting, vacant_seat
):
    page = client_for(head_a).get(reverse("dashboard")).content.decode()
    assert reverse("governance:minutes", args=[past_meeting.pk]) in page
    assert "1 board seat is vacant" in page
