import datetime

from django.urls import reverse

from governance.models import Action, Meeting, Minutes, today


def test_coordinator_creates_a_meeting_and_an_agenda_item(client_for, coordinator, board):
    client = client_for(coordinator)
    response = client.post(
        reverse("governance:meeting_new"),
        {
            "board": board.pk,
            "title": "Summer board meeting",
            "date": "2027-06-10",
            "location": "Civic Centre",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("governance:meeting", args=[meeting.pk])
    client.post(
        reverse("governance:agenda_item_new", args=[meeting.pk]),
        {"order": 1, "title": "Budget", "presenter": "Treasurer"},
    )
    assert list(meeting.agenda_items.values_list("order", "title", "presenter")) == [
        (1, "Budget", "Treasurer")
    ]
    # The next agenda item is offered the next number.
    page = client.get(reverse("governance:agenda_item_new", args=[meeting.pk]))
    assert page.context["form"].initial["order"] == 2


def test_a_meeting_without_a_date_is_refused(client_for, coordinator, board):
    response = client_for(coordinator).post(
        reverse("governance:meeting_new"), {"board": board.pk, "title": "X"}
    )
    assert "There is a problem" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_board_members_see_draft_minutes_and_papers_on_the_meeting_page(
    client_for, board_member, meeting, paper, draft_minutes
):
    page = (
        client_for(board_member)
        .get(reverse("governance:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert "Draft minutes text" in page
    assert reverse("governance:paper_download", args=[paper.pk]) in page


def test_headteachers_see_published_minutes_only(
    client_for, head_a, meeting, draft_minutes, past_meeting
):
    client = client_for(head_a)
    listing = client.get(reverse("governance:minutes_list"))
    assert [m.pk for m in listing.context["meetings"]] == [past_meeting.pk]
    assert (
        "Published minutes text"
        in client.get(reverse("governance:minutes", args=[past_meeting.pk])).content.decode()
    )
    assert client.get(reverse("governance:minutes", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 403


def test_publishing_minutes_makes_them_readable_and_final(client_for, coordinator, head_a, meeting):
    coordinator_client = client_for(coordinator)
    coordinator_client.post(
        reverse("governance:minutes_edit", args=[meeting.pk]), {"text": "First draft"}
    )
    assert Minutes.objects.get().status == "draft"
    assert (
        client_for(head_a).get(reverse("governance:minutes", args=[meeting.pk])).status_code == 404
    )

    coordinator_client.post(
        reverse("governance:minutes_edit", args=[meeting.pk]), {"text": "Final", "publish": "on"}
    )
    minutes = Minutes.objects.get()
    assert (minutes.status, minutes.text) == ("published", "Final")
    assert minutes.published_at is not None
    assert (
        "Final"
        in client_for(head_a).get(reverse("governance:minutes", args=[meeting.pk])).content.decode()
    )

    response = coordinator_client.post(
        reverse("governance:minutes_edit", args=[meeting.pk]), {"text": "Changed"}
    )
    assert response.status_code == 302
    assert Minutes.objects.get().text == "Final"


def test_decisions_and_actions_are_recorded(client_for, coordinator, meeting):
    client = client_for(coordinator)
    client.post(
        reverse("governance:decision_new", args=[meeting.pk]),
        {"text": "Budget approved", "order": 1},
    )
    client.post(
        reverse("governance:action_new", args=[meeting.pk]),
        {"description": "Send the budget", "owner": "Chair", "due_date": "2027-01-31"},
    )
    assert list(meeting.decisions.values_list("text", flat=True)) == ["Budget approved"]
    assert list(meeting.actions.values_list("description", "owner", "due_date", "status")) == [
        ("Send the budget", "Chair", datetime.date(2027, 1, 31), "open")
    ]


def test_overdue_list_shows_open_actions_past_due_only(client_for, board_member, past_meeting):
    now = today()
    late = Action.objects.create(
        meeting=past_meeting,
        description="Late",
        owner="A",
        due_date=now - datetime.timedelta(days=1),
    )
    Action.objects.create(meeting=past_meeting, description="Due today", owner="B", due_date=now)
    Action.objects.create(
        meeting=past_meeting,
        description="Done late",
        owner="C",
        due_date=now - datetime.timedelta(days=9),
        status="done",
    )
    response = client_for(board_member).get(reverse("governance:actions"), {"overdue": "yes"})
    assert [row.record.pk for row in response.context["table"].rows] == [late.pk]
    assert late.overdue


def test_actions_export_as_csv(client_for, board_member, action):
    response = client_for(board_member).get(reverse("governance:actions"), {"_export": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0] == "Description,Owner,Due,Status,Meeting"
    assert lines[1].startswith("Circulate the strategy,Coordinator,")
    assert lines[1].endswith(",overdue,Autumn board meeting")
