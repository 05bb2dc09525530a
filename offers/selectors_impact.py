"""Reads for objectives and outcomes: a piece of work's, a school's, and the offer's."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from .models import Booking, CommissionedPackage, Offer, SupportObjective

RATINGS = SupportObjective.Rating


def work_kwargs(work) -> dict:
    """The objective's link to a booking or a commissioned package."""
    if isinstance(work, Booking):
        return {"booking": work}
    if isinstance(work, CommissionedPackage):
        return {"package": work}
    raise TypeError(f"objectives belong to a booking or a commissioned package, not {work!r}")


def objectives_for_work(work):
    return (
        SupportObjective.objects.filter(**work_kwargs(work))
        .select_related("agreed_by", "reviewed_by")
        .order_by("agreed_on", "pk")
    )


def objectives_for_school(school):
    """The school's objectives with their support, newest work first (one query)."""
    return (
        SupportObjective.objects.filter(Q(booking__school=school) | Q(package__school=school))
        .select_related("booking__offer", "package__offer")
        .order_by("-agreed_on", "-pk")
    )


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    met: int
    partly: int
    not_met: int
    not_reviewed: int

    @property
    def total(self) -> int:
        return self.met + self.partly + self.not_met + self.not_reviewed

    @property
    def reviewed(self) -> int:
        return self.met + self.partly + self.not_met


COUNTS = {
    "met": Count("pk", filter=Q(rating=RATINGS.GREEN)),
    "partly": Count("pk", filter=Q(rating=RATINGS.AMBER)),
    "not_met": Count("pk", filter=Q(rating=RATINGS.RED)),
    "not_reviewed": Count("pk", filter=Q(rating="")),
}


def _with_work():
    # An objective's offer and school are its booking's or its package's.
    return SupportObjective.objects.annotate(
        strand=Coalesce(F("booking__offer__strand"), F("package__offer__strand")),
        provider_name=Coalesce(
            F("booking__offer__provider__name"), F("package__offer__provider__name")
        ),
        concern=Coalesce(
            F("booking__school__causing_concern"), F("package__school__causing_concern")
        ),
    )


def _rows(key, label_of):
    grouped = _with_work().values(key).annotate(**COUNTS).order_by(key)
    return [
        OutcomeRow(
            label=label_of(row[key]),
            met=row["met"],
            partly=row["partly"],
            not_met=row["not_met"],
            not_reviewed=row["not_reviewed"],
        )
        for row in grouped
    ]


def outcomes_by_strand():
    labels = dict(Offer.Strand.choices)
    return _rows("strand", lambda value: labels.get(value, value))


def outcomes_by_provider():
    return _rows("provider_name", lambda value: value)


def outcomes_by_concern():
    rows = _rows("concern", lambda value: value)
    # Schools causing concern first: the LA reads that row first.
    words = {True: "Schools causing concern", False: "Other schools"}
    return sorted(
        (
            OutcomeRow(
                label=words[bool(row.label)],
                met=row.met,
                partly=row.partly,
                not_met=row.not_met,
                not_reviewed=row.not_reviewed,
            )
            for row in rows
        ),
        key=lambda row: row.label != "Schools causing concern",
    )
