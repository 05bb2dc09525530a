"""Governance reads for pages, dashboards and other apps (finance reads
`task_group_day_costs`)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from partnership.money import money
from schools.models import School

from . import rules
from .models import (
    Action,
    AgendaItem,
    Board,
    Meeting,
    Minutes,
    Nomination,
    ProgressReport,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
    today,
)
from .other_apps import academic_year, optional_selector


@dataclass(frozen=True)
class DayCost:
    """A cost for the trading account: practitioner days a task-and-finish group used."""

    reference: str
    description: str
    on_date: datetime.date
    amount: Decimal


def task_group_day_costs(start: datetime.date, end: datetime.date) -> list[DayCost]:
    """Each TaskGroupDays row dated from `start` to `end` inclusive, costed at days ×
    day rate rounded to the penny, recognised on the date the days were used."""
    rows = (
        TaskGroupDays.objects.filter(date__gte=start, date__lte=end)
        .select_related("group")
        .order_by("date", "pk")
    )
    return [
        DayCost(
            reference=f"tfg-days:{row.pk}",
            description=(
                f"{row.group.name}: {row.days.normalize():f} {row.designation} "
                f"day{'s' if row.days != 1 else ''} at £{row.day_rate}"
            ),
            on_date=row.date,
            amount=money(row.days * row.day_rate),
        )
        for row in rows
    ]


def partnership_schools(on=None):
    """The schools the board represents, and what they are: the schools with an active
    membership this academic year when the membership app has any, otherwise every
    open school in the register."""
    to_invoice = optional_selector("membership.selectors", "memberships_to_invoice")
    if to_invoice is not None:
        members = School.objects.filter(
            pk__in=to_invoice(academic_year(on or today())).values("school")
        )
        if members.exists():
            return members, "member schools"
    return School.objects.open(), "open schools in the register"


def vacant_seats_q_for(prefix, on):
    """Vacant: no holder, or the term has ended (rules.seat_is_vacant, in SQL)."""
    return Q(**{f"{prefix}holder_name": "", f"{prefix}holder_user__isnull": True}) | Q(
        **{f"{prefix}term_end__lt": on}
    )


def vacant_seats_q(on):
    return vacant_seats_q_for("", on)


def expiring_seats_q(on):
    return (
        ~Q(holder_name="", holder_user__isnull=True)
        & Q(term_end__gte=on)
        & Q(term_end__lte=on + datetime.timedelta(days=rules.EXPIRY_WARNING_DAYS))
    )


def boards():
    return Board.objects.annotate(
        seat_count=Count("seats", distinct=True),
        vacancy_count=Count("seats", filter=vacant_seats_q_for("seats__", today()), distinct=True),
    ).order_by("order", "name")


def board_seats(board):
    return board.seats.select_related("school", "holder_user").order_by("order", "code")


def vacancies(on=None):
    on = on or today()
    return (
        Seat.objects.filter(vacant_seats_q(on))
        .select_related("board", "school")
        .annotate(pending=Count("nominations", filter=Q(nominations__status="pending")))
        .order_by("board__order", "board__name", "order", "code")
    )


def expiring_seats(on=None):
    """Held seats whose term ends within 60 days, soonest first (with the holder's account,
    which names a holder without a written name)."""
    on = on or today()
    return (
        Seat.objects.filter(expiring_seats_q(on))
        .select_related("board", "school", "holder_user")
        .order_by("term_end", "board__name", "code")
    )


def open_for_nomination(on=None):
    """Seats vacant now or whose term ends within 60 days."""
    on = on or today()
    return (
        Seat.objects.filter(vacant_seats_q(on) | expiring_seats_q(on))
        .select_related("board", "school")
        .order_by("board__order", "board__name", "order", "code")
    )


def board_representation(board, on=None) -> tuple[rules.Representation, str]:
    """The board's balance and which schools it was weighed against."""
    on = on or today()
    found, described = partnership_schools(on)
    schools = [
        rules.SchoolProfile(category=category, governance=governance)
        for category, governance in found.values_list("category", "governance")
    ]
    held = [
        rules.SeatProfile(
            role=seat.role,
            school_category=seat.school.category if seat.school_id else None,
            school_governance=seat.school.governance if seat.school_id else None,
        )
        for seat in board_seats(board)
        if not seat.is_vacant(on)
    ]
    return rules.representation(schools, held), described


def pending_nominations():
    return Nomination.objects.filter(status=Nomination.Status.PENDING).select_related(
        "seat__board", "school", "nominated_by"
    )


def nominations_for(user):
    """Coordinators see every nomination; others the ones they made."""
    from partnership.roles import Role

    found = Nomination.objects.select_related("seat__board", "school", "nominated_by")
    if user.role == Role.COORDINATOR:
        return found
    return found.filter(nominated_by=user)


def meetings():
    return (
        Meeting.objects.select_related("board", "minutes")
        .annotate(item_count=Count("agenda_items", distinct=True))
        .order_by("-date", "title")
    )


def meetings_with_published_minutes():
    return (
        Meeting.objects.filter(minutes__status=Minutes.Status.PUBLISHED)
        .select_related("board", "minutes")
        .order_by("-date")
    )


def meeting_detail(pk):
    return (
        Meeting.objects.select_related("board")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.prefetch_related("papers").order_by("order", "pk"),
            ),
            "decisions",
            "actions",
        )
        .get(pk=pk)
    )


def next_meeting(on=None):
    on = on or today()
    return (
        Meeting.objects.filter(date__gte=on)
        .select_related("board")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.prefetch_related("papers"))
        )
        .order_by("date", "pk")
        .first()
    )


def actions():
    return Action.objects.select_related("meeting__board")


def overdue_actions(on=None):
    on = on or today()
    return actions().filter(status=Action.Status.OPEN, due_date__lt=on).order_by("due_date", "pk")


def task_groups():
    """Groups with their latest progress report's RAG and date (one query for any number)."""
    latest = ProgressReport.objects.filter(group=OuterRef("pk")).order_by("-date", "-pk")
    return (
        TaskAndFinishGroup.objects.select_related("priority")
        .annotate(
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_report_date=Subquery(latest.values("date")[:1]),
            school_count=Count("schools", distinct=True),
        )
        .order_by("end_date", "name")
    )


def flagged_groups(on=None):
    """Past their end date without a closing report."""
    on = on or today()
    return task_groups().filter(end_date__lt=on, closing_report="").order_by("end_date", "name")


def group_detail(pk):
    return (
        TaskAndFinishGroup.objects.select_related("priority")
        .prefetch_related(
            "schools", "people", "allocations", "days_used", "progress_reports", "recommendations"
        )
        .get(pk=pk)
    )


def group_days_summary(group):
    """Allocated and used days and cost by designation, with totals."""
    rows = {}
    for allocation in group.allocations.all():
        row = rows.setdefault(allocation.designation, _days_row(allocation.designation))
        row["allocated_days"] += allocation.days
        row["allocated_cost"] += allocation.cost
    for used in group.days_used.all():
        row = rows.setdefault(used.designation, _days_row(used.designation))
        row["used_days"] += used.days
        row["used_cost"] += used.cost
    found = sorted(rows.values(), key=lambda row: row["designation"])
    total = _days_row("Total")
    for row in found:
        for key in ("allocated_days", "allocated_cost", "used_days", "used_cost"):
            total[key] += row[key]
    for row in [*found, total]:
        row["allocated_cost"] = money(row["allocated_cost"])
        row["used_cost"] = money(row["used_cost"])
    return {"rows": found, "total": total}


def _days_row(designation):
    return {
        "designation": designation,
        "allocated_days": Decimal("0"),
        "allocated_cost": Decimal("0"),
        "used_days": Decimal("0"),
        "used_cost": Decimal("0"),
    }
