import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from governance import selectors
from governance.models import DayAllocation, TaskAndFinishGroup, TaskGroupDays, today
from governance.selectors import DayCost


@pytest.fixture
def hillingdon_group(priority):
    return TaskAndFinishGroup.objects.create(
        code="reading",
        name="Early reading",
        priority=priority,
        remit="Phonics",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 7, 31),
    )


def test_day_costs_between_two_dates_with_exact_figures(hillingdon_group):
    days = [
        (datetime.date(2026, 8, 31), "1", "500"),  # before the period
        (datetime.date(2026, 9, 1), "2.5", "500"),  # first day of the period
        (datetime.date(2026, 10, 15), "1.5", "333.33"),  # 499.995 → £500.00 half-up
        (datetime.date(2026, 11, 30), "3", "350"),  # last day of the period
        (datetime.date(2026, 12, 1), "1", "350"),  # after
    ]
    rows = [
        TaskGroupDays.objects.create(
            group=hillingdon_group,
            designation=designation,
            date=on,
            days=Decimal(n),
            day_rate=Decimal(rate),
        )
        for (on, n, rate), designation in zip(
            days, ["LLE", "LLE", "SLE", "SLE", "SLE"], strict=True
        )
    ]
    costs = selectors.task_group_day_costs(datetime.date(2026, 9, 1), datetime.date(2026, 11, 30))
    assert costs == [
        DayCost(
            f"tfg-days:{rows[1].pk}",
            "Early reading: 2.5 LLE days at £500.00",
            datetime.date(2026, 9, 1),
            Decimal("1250.00"),
        ),
        DayCost(
            f"tfg-days:{rows[2].pk}",
            "Early reading: 1.5 SLE days at £333.33",
            datetime.date(2026, 10, 15),
            Decimal("500.00"),
        ),
        DayCost(
            f"tfg-days:{rows[3].pk}",
            "Early reading: 3 SLE days at £350.00",
            datetime.date(2026, 11, 30),
            Decimal("1050.00"),
        ),
    ]
    assert sum(cost.amount for cost in costs) == Decimal("2800.00")
    assert all(isinstance(cost.amount, Decimal) for cost in costs)


def test_one_day_is_singular(hillingdon_group):
    TaskGroupDays.objects.create(
        group=hillingdon_group,
        designation="LLE",
        date=datetime.date(2026, 9, 2),
        days=Decimal("1"),
        day_rate=Decimal("500"),
    )
    (cost,) = selectors.task_group_day_costs(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
    assert cost.description == "Early reading: 1 LLE day at £500.00"


def test_hillingdon_allocation_costs_10250_per_group(
    client_for, board_member, coordinator, hillingdon_group
):
    client = client_for(coordinator)
    client.post(
        reverse("governance:allocation_new", args=[hillingdon_group.pk]),
        {"designation": "LLE", "days": "10", "day_rate": "500"},
    )
    client.post(
        reverse("governance:allocation_new", args=[hillingdon_group.pk]),
        {"designation": "SLE", "days": "15", "day_rate": "350"},
    )
    summary = selectors.group_days_summary(selectors.group_detail(hillingdon_group.pk))
    assert [
        (r["designation"], r["allocated_days"], r["allocated_cost"]) for r in summary["rows"]
    ] == [
        ("LLE", Decimal("10.0"), Decimal("5000.00")),
        ("SLE", Decimal("15.0"), Decimal("5250.00")),
    ]
    assert summary["total"]["allocated_cost"] == Decimal("10250.00")
    page = (
        client_for(board_member)
        .get(reverse("governance:task_group", args=[hillingdon_group.pk]))
        .content.decode()
    )
    assert 'id="allocated-total">£10,250.00<' in page


def test_a_second_allocation_for_the_same_designation_is_refused(
    client_for, coordinator, hillingdon_group
):
    DayAllocation.objects.create(group=hillingdon_group, designation="LLE", days=10, day_rate=500)
    response = client_for(coordinator).post(
        reverse("governance:allocation_new", args=[hillingdon_group.pk]),
        {"designation": "LLE", "days": "5", "day_rate": "500"},
    )
    assert "already has an allocation for this designation" in response.content.decode()
    assert DayAllocation.objects.count() == 1


def test_days_used_must_be_positive(client_for, coordinator, hillingdon_group):
    response = client_for(coordinator).post(
        reverse("governance:days_used_new", args=[hillingdon_group.pk]),
        {"designation": "LLE", "date": "2026-10-01", "days": "0", "day_rate": "500"},
    )
    assert "Days must be more than 0" in response.content.decode()
    assert TaskGroupDays.objects.count() == 0


def test_a_group_must_end_after_it_starts(client_for, coordinator, priority):
    response = client_for(coordinator).post(
        reverse("governance:task_group_new"),
        {
            "code": "g",
            "name": "G",
            "priority": priority.pk,
            "remit": "r",
            "start_date": "2027-01-01",
            "end_date": "2027-01-01",
        },
    )
    assert "The group must end after it starts" in response.content.decode()
    assert TaskAndFinishGroup.objects.count() == 0


def test_the_database_refuses_a_group_ending_before_it_starts(priority):
    with pytest.raises(IntegrityError):
        TaskAndFinishGroup.objects.create(
            code="g",
            name="G",
            priority=priority,
            remit="r",
            start_date=datetime.date(2027, 1, 2),
            end_date=datetime.date(2027, 1, 1),
        )


def test_coordinator_creates_a_group_with_member_schools(
    client_for, coordinator, priority, school_a, school_b, head_a
):
    response = client_for(coordinator).post(
        reverse("governance:task_group_new"),
        {
            "code": "maths",
            "name": "Maths mastery",
            "priority": priority.pk,
            "remit": "Mastery",
            "start_date": "2026-09-01",
            "end_date": "2027-03-31",
            "schools": [school_a.pk, school_b.pk],
            "people": [head_a.pk],
        },
    )
    group = TaskAndFinishGroup.objects.get()
    assert response["Location"] == reverse("governance:task_group", args=[group.pk])
    assert set(group.schools.all()) == {school_a, school_b}
    assert list(group.people.all()) == [head_a]


def test_groups_past_their_end_without_closing_report_are_flagged_until_closed(
    client_for, coordinator, board_member, priority
):
    now = today()
    ended = TaskAndFinishGroup.objects.create(
        code="ended",
        name="Ended group",
        priority=priority,
        remit="r",
        start_date=now - datetime.timedelta(days=100),
        end_date=now - datetime.timedelta(days=1),
    )
    TaskAndFinishGroup.objects.create(
        code="running",
        name="Running group",
        priority=priority,
        remit="r",
        start_date=now - datetime.timedelta(days=100),
        end_date=now,
    )
    assert [g.code for g in selectors.flagged_groups()] == ["ended"]
    dashboard = client_for(board_member).get(reverse("dashboard")).content.decode()
    assert "Ended group" in dashboard and "Running group" not in dashboard

    client_for(coordinator).post(
        reverse("governance:task_group_close", args=[ended.pk]),
        {"closing_report": "Done: phonics programme adopted."},
    )
    ended.refresh_from_db()
    assert (ended.closing_report, ended.closed_on) == ("Done: phonics programme adopted.", now)
    assert list(selectors.flagged_groups()) == []


def test_flagged_groups_appear_on_the_board_page(client_for, board_member, board, priority):
    now = today()
    TaskAndFinishGroup.objects.create(
        code="ended",
        name="Ended group",
        priority=priority,
        remit="r",
        start_date=now - datetime.timedelta(days=100),
        end_date=now - datetime.timedelta(days=1),
    )
    page = (
        client_for(board_member)
        .get(reverse("governance:board", args=[board.code]))
        .content.decode()
    )
    assert "1 task-and-finish group past its end date without a closing report" in page
    assert "Ended group" in page


def test_latest_rag_is_the_most_recent_report(group):
    from governance.models import ProgressReport

    ProgressReport.objects.create(
        group=group, date=today() - datetime.timedelta(days=50), rag="red", summary="old"
    )
    ProgressReport.objects.create(group=group, date=today(), rag="green", summary="new")
    (found,) = selectors.task_groups()
    assert (found.latest_rag, found.latest_report_date) == ("green", today())


def test_progress_report_form_offers_only_red_amber_green(client_for, coordinator, group):
    response = client_for(coordinator).get(
        reverse("governance:progress_report_new", args=[group.pk])
    )
    assert [value for value, _ in response.context["form"].fields["rag"].choices] == [
        "red",
        "amber",
        "green",
    ]
