"""Reads for CPD registers, delegates, evaluations and the evaluation report.

Each takes the person asking: a headteacher sees their own school's delegates, a
practitioner the sessions they facilitate, the coordinator everything. Counts and
averages are worked out in the database, so a page's queries do not grow with its rows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from partnership.roles import Role
from schools.permissions import for_schools_of

from .models import Booking, CourseSession, DelegatePlace, EvaluationRating
from .rules_bookings import rating_average

ON_REGISTER = (Booking.Status.CONFIRMED, Booking.Status.DELIVERED)


def sessions_with_registers(user, *, since):
    """Sessions from `since` with their places and how many are marked: all of them for the
    coordinator, those they facilitate for a practitioner, none for anyone else."""
    sessions = CourseSession.objects.filter(date__gte=since)
    if user.role == Role.PRACTITIONER:
        sessions = sessions.filter(facilitator__user=user)
    elif user.role != Role.COORDINATOR:
        return CourseSession.objects.none()
    on_register = Q(delegates__booking__status__in=ON_REGISTER)
    return (
        sessions.select_related("offer", "facilitator")
        .annotate(
            booked=Count("delegates", filter=on_register),
            marked=Count("delegates", filter=on_register & ~Q(delegates__attendance="")),
        )
        .order_by("date", "start_time", "pk")
    )


def session_for_register(pk):
    return (
        CourseSession.objects.select_related("offer", "facilitator", "offer__cancellation_policy")
        .filter(pk=pk)
        .first()
    )


def delegate_places_for(user):
    """CPD places booked and held (confirmed or delivered) that this person may see."""
    places = DelegatePlace.objects.filter(booking__status__in=ON_REGISTER)
    return (
        for_schools_of(user, places, field="booking__school")
        .select_related("session__offer", "booking__school", "evaluation")
        .order_by("-session__date", "booking__school__name", "booking_id", "pk")
    )


def place_for(user, pk):
    """One place this person may see, or None (a missing place and another school's alike)."""
    return delegate_places_for(user).select_related("session__facilitator").filter(pk=pk).first()


@dataclass(frozen=True)
class ReportRow:
    name: str
    attended: int
    returned: int
    average: Decimal | None

    @property
    def return_rate(self) -> str:
        if not self.attended:
            return "None attended"
        return f"{round(100 * self.returned / self.attended)}%"


def _rows(group_field, name_field):
    """Delegates who attended and evaluations returned, with the average of every rating,
    grouped by `group_field` (offer, facilitator, provider): two queries in all."""
    attended = dict(
        DelegatePlace.objects.filter(attendance=DelegatePlace.Attendance.PRESENT)
        .exclude(**{f"session__{group_field}": None})
        .order_by()
        .values_list(f"session__{group_field}")
        .annotate(n=Count("pk"))
    )
    ratings = (
        EvaluationRating.objects.exclude(**{f"evaluation__place__session__{group_field}": None})
        .order_by()
        .values(f"evaluation__place__session__{group_field}", name_field)
        .annotate(
            returned=Count("evaluation", distinct=True), total=Sum("rating"), count=Count("pk")
        )
    )
    rows = [
        ReportRow(
            name=row[name_field],
            attended=attended.get(row[f"evaluation__place__session__{group_field}"], 0),
            returned=row["returned"],
            average=rating_average(row["total"], row["count"]),
        )
        for row in ratings
    ]
    return sorted(rows, key=lambda row: row.name)


def evaluation_report() -> dict:
    """Average ratings by offer, by facilitating practitioner and by provider, and by question."""
    by_question = (
        EvaluationRating.objects.order_by()
        .values("position", "question")
        .annotate(total=Sum("rating"), count=Count("pk"))
        .order_by("position", "question")
    )
    return {
        "by_offer": _rows("offer", "evaluation__place__session__offer__name"),
        "by_practitioner": _rows("facilitator", "evaluation__place__session__facilitator__name"),
        "by_provider": _rows(
            "offer__provider", "evaluation__place__session__offer__provider__name"
        ),
        "by_question": [
            {
                "question": row["question"],
                "count": row["count"],
                "average": rating_average(row["total"], row["count"]),
            }
            for row in by_question
        ],
    }
