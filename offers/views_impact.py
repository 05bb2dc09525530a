"""Pages for the objectives of brokered support, their review, and the offer's impact.

Who may do what: the coordinator agrees objectives and reviews any; a practitioner reviews
those of work they are deployed to; a headteacher reads their own school's (on the booking
and the school's record); the board and the coordinator read the impact report.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.permissions import role_required
from partnership.roles import Role

from . import forms_impact as forms
from . import selectors_impact as selectors
from . import services_impact as services
from .charts import impact_chart
from .models import CommissionedPackage, SupportObjective
from .views_bookings import (
    _add_errors,
    _booking_or_403,
    _bookings_crumbs,
    _package,
    _packages_crumbs,
)

COORDINATOR = Role.COORDINATOR


def _work_url(work):
    commissioned = isinstance(work, CommissionedPackage)
    name = "offers:package_detail" if commissioned else "offers:booking_detail"
    return reverse(name, args=[work.pk])


def _add_page(request, work, crumbs):
    back = _work_url(work)
    today = timezone.localdate()
    form = forms.ObjectiveForm(
        request.POST or None, initial={"agreed_on": today.strftime("%d/%m/%Y")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_objective(
                work=work,
                objective=data["objective"],
                expected_impact=data["expected_impact"],
                agreed_on=data["agreed_on"],
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Objective added to {work.reference}")
            return redirect(back)
    return render(
        request,
        "offers/impact/objective_add.html",
        {"form": form, "work": work, "back": back, "breadcrumbs": crumbs},
    )


@role_required(COORDINATOR)
def booking_objective_add(request, pk):
    booking = _booking_or_403(request.user, pk)
    url = reverse("offers:booking_detail", args=[booking.pk])
    return _add_page(
        request, booking, _bookings_crumbs((booking.reference, url), ("Add an objective", ""))
    )


@role_required(COORDINATOR)
def package_objective_add(request, pk):
    package = _package(pk)
    url = reverse("offers:package_detail", args=[package.pk])
    return _add_page(
        request, package, _packages_crumbs((package.reference, url), ("Add an objective", ""))
    )


@role_required(COORDINATOR, Role.PRACTITIONER)
def objective_review(request, pk):
    """Record the evidence and judgement: the coordinator, or the practitioner deployed."""
    objective = get_object_or_404(
        SupportObjective.objects.select_related(
            "booking__school", "booking__offer", "package__school", "package__offer"
        ),
        pk=pk,
    )
    if not services.may_review(request.user, objective):
        raise PermissionDenied
    work = objective.work
    today = timezone.localdate()
    back = _work_url(work) if request.user.role == COORDINATOR else reverse("dashboard")
    initial = {"reviewed_on": today.strftime("%d/%m/%Y")}
    if objective.reviewed:
        initial.update(
            rating=objective.rating,
            evidence=objective.evidence,
            reviewed_on=objective.reviewed_on.strftime("%d/%m/%Y"),
        )
    form = forms.ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = services.review_objective(
                objective=objective,
                evidence=data["evidence"],
                rating=data["rating"],
                reviewed_on=data["reviewed_on"],
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Objective reviewed: {objective.get_rating_display().lower()}",
            )
            return redirect(back)
    crumbs = (
        [(work.reference, back), ("Review an objective", "")]
        if request.user.role == COORDINATOR
        else [("Dashboard", back), ("Review an objective", "")]
    )
    return render(
        request,
        "offers/impact/objective_review.html",
        {"form": form, "objective": objective, "work": work, "back": back, "breadcrumbs": crumbs},
    )


@role_required(COORDINATOR, Role.BOARD)
def impact_report(request):
    """Objectives met, partly met, not met and not yet reviewed: by strand, by provider,
    and for schools causing concern against the rest (one query each)."""
    groups = [
        ("By strand", "Strand", "strand", selectors.outcomes_by_strand()),
        ("By provider", "Provider", "provider", selectors.outcomes_by_provider()),
        ("Schools causing concern", "Schools", "concern", selectors.outcomes_by_concern()),
    ]
    groups = [
        (heading, column, rows, impact_chart(key=f"impact-{key}", heading=heading, rows=rows))
        for heading, column, key, rows in groups
    ]
    return render(
        request,
        "offers/impact/report.html",
        {"groups": groups, "breadcrumbs": [("Impact of the offer", "")]},
    )
