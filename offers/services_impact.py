"""Recording the agreed objectives of brokered support and reviewing them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.roles import Role

from .models import Booking, CommissionedPackage, Deployment, SupportObjective
from .selectors_impact import work_kwargs

CANCELLED = (Booking.Status.CANCELLED, CommissionedPackage.Status.CANCELLED)


def deployed_to(user, work) -> bool:
    """Whether this person is a practitioner deployed (not cancelled) to the work."""
    if not user.is_authenticated or user.role != Role.PRACTITIONER:
        return False
    return (
        Deployment.objects.filter(**work_kwargs(work), practitioner__user=user)
        .exclude(status=Deployment.Status.CANCELLED)
        .exists()
    )


def may_review(user, objective) -> bool:
    """The coordinator reviews any objective; a practitioner those of work they are deployed to."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.COORDINATOR:
        return True
    return deployed_to(user, objective.work)


@transaction.atomic
def add_objective(
    *, work, objective: str, expected_impact: str, agreed_on: date, by, today: date
) -> SupportObjective:
    """Record an objective agreed for a booking or a commissioned package.

    Rule: objectives are agreed for support that goes ahead, so none is added to cancelled
    work; the date it was agreed cannot be in the future.
    """
    if work.status in CANCELLED:
        raise ValidationError(f"{work.reference} is cancelled: objectives cannot be added")
    if agreed_on > today:
        raise ValidationError("The date the objective was agreed must be today or in the past")
    return SupportObjective.objects.create(
        **work_kwargs(work),
        objective=objective.strip(),
        expected_impact=expected_impact.strip(),
        agreed_on=agreed_on,
        agreed_by=by,
    )


@transaction.atomic
def review_objective(
    *, objective: SupportObjective, evidence: str, rating: str, reviewed_on: date, by, today: date
) -> SupportObjective:
    """Record the evidence and the RAG judgement against an objective.

    Rule: a judgement needs its evidence; the review is dated between the day the objective
    was agreed and today. A later review replaces the judgement; the audit trail keeps each.
    """
    objective = SupportObjective.objects.select_for_update().get(pk=objective.pk)
    if rating not in SupportObjective.Rating.values:
        raise ValidationError("Choose whether the objective was met, partly met or not met")
    if not evidence.strip():
        raise ValidationError("Enter the evidence for the judgement")
    if reviewed_on > today:
        raise ValidationError("The review date must be today or in the past")
    if reviewed_on < objective.agreed_on:
        raise ValidationError(
            f"The review date must be on or after the day the objective was agreed "
            f"({objective.agreed_on:%-d %B %Y})"
        )
    objective.evidence = evidence.strip()
    objective.rating = rating
    objective.reviewed_on = reviewed_on
    objective.reviewed_by = by
    objective.save()
    return objective
