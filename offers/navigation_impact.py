from django.db.models import Q

from partnership.navigation import NavItem, Panel
from partnership.roles import Role

from . import selectors_impact as selectors
from .models import Deployment, SupportObjective


def items(user):
    if user.role in (Role.COORDINATOR, Role.BOARD):
        return [NavItem("Impact", "offers:impact_report", order=35)]
    return []


def panels(user):
    """A practitioner's objectives still to review, on work they are deployed to."""
    if user.role != Role.PRACTITIONER:
        return []
    mine = Deployment.objects.filter(practitioner__user=user).exclude(
        status=Deployment.Status.CANCELLED
    )
    to_review = list(
        SupportObjective.objects.filter(rating="")
        .filter(
            Q(booking__deployments__in=mine) | Q(package__deployments__in=mine),
        )
        .distinct()
        .select_related("booking__school", "booking__offer", "package__school", "package__offer")
        .order_by("agreed_on", "pk")[:20]
    )
    return [Panel("offers/impact/panel_practitioner.html", {"objectives": to_review}, order=31)]


def school_panels(user, school):
    """The school's support with its objectives and outcomes, beside its Ofsted judgement."""
    if user.role not in (Role.COORDINATOR, Role.FINANCE, Role.HEADTEACHER):
        return []
    return [
        Panel(
            "offers/impact/panel_school.html",
            {"objectives": list(selectors.objectives_for_school(school)), "school": school},
            order=21,
        )
    ]
