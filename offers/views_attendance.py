"""Pages for CPD sessions: setting them up, naming delegates, the register, evaluations,
certificates and the evaluation report.

Who may open each: the coordinator everything; a headteacher their own school's delegates,
evaluations and certificates; a practitioner the registers of sessions they facilitate.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.permissions import role_required
from partnership.roles import Role
from partnership.words import count_of
from schools.permissions import can_act_for

from . import forms_bookings as forms
from . import selectors_attendance as selectors
from . import services_attendance as services
from .charts import rating_chart
from .models import Booking, CourseSession, DelegatePlace
from .services_attendance import Delegate
from .services_evaluation_links import certificate_filename, certificate_pdf, send_evaluation_links

HEAD = Role.HEADTEACHER
COORDINATOR = Role.COORDINATOR
PRACTITIONER = Role.PRACTITIONER


def _crumbs(*more):
    return [("CPD courses", reverse("offers:session_list")), *more]


def _add_errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


@role_required(COORDINATOR)
def session_edit(request, pk=None):
    """Set up a CPD session, or change one: its title, date and times, venue or link, places."""
    session = get_object_or_404(CourseSession, pk=pk) if pk else None
    form = forms.CourseSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved.name} on {saved.date:%-d %B %Y} saved")
        return redirect("offers:register_list")
    return render(
        request,
        "offers/cpd/session_form.html",
        {
            "form": form,
            "session": session,
            "breadcrumbs": _crumbs(
                ("Add a session" if session is None else "Change a session", "")
            ),
        },
    )


@role_required(COORDINATOR, PRACTITIONER)
def register_list(request):
    """Sessions from 60 days ago with how much of each register is taken."""
    since = timezone.localdate() - timedelta(days=60)
    sessions = selectors.sessions_with_registers(request.user, since=since)
    return render(
        request,
        "offers/cpd/registers.html",
        {
            "sessions": sessions,
            "is_coordinator": request.user.role == COORDINATOR,
            "breadcrumbs": _crumbs(("Registers", "")),
        },
    )


def _register_marks(request, places):
    """The marks posted for each open place: {place pk: attendance}; a place left unmarked
    is left out, so a register can be taken in parts."""
    marks = {}
    for place in places:
        value = request.POST.get(f"place-{place.pk}", "")
        if value:
            marks[place.pk] = value
    return marks


@role_required(COORDINATOR, PRACTITIONER)
def register(request, pk):
    """The register on a phone: one row per delegate with present, absent or late cancellation."""
    session = selectors.session_for_register(pk)
    if session is None:
        raise Http404
    if not services.may_take_register(request.user, session):
        raise PermissionDenied
    places = list(services.register_places(session))
    errors = []
    if request.method == "POST":
        try:
            delivered = services.take_register(
                session=session, marks=_register_marks(request, places), by=request.user
            )
        except ValidationError as error:
            errors = error.messages
        else:
            saved = "Register saved"
            if delivered:
                saved += f": every place marked for {count_of(len(delivered), 'booking')}"
            links = send_evaluation_links(session=session, base_url=request.build_absolute_uri("/"))
            if links:
                saved += f"; {count_of(links, 'delegate')} emailed a link to evaluate it"
            messages.success(request, saved)
            return redirect("offers:register", session.pk)
    return render(
        request,
        "offers/cpd/register.html",
        {
            "session": session,
            "places": places,
            "choices": DelegatePlace.Attendance.choices,
            "errors": errors,
            "breadcrumbs": _crumbs(
                ("Registers", reverse("offers:register_list")), ("Register", "")
            ),
        },
    )


@role_required(HEAD, COORDINATOR)
def booking_delegates(request, pk):
    """Name the delegates on a booking's places, or substitute one, until the session starts."""
    booking = get_object_or_404(Booking.objects.select_related("school", "session__offer"), pk=pk)
    if not can_act_for(request.user, booking.school):
        raise PermissionDenied
    if booking.session_id is None:
        # Support other than a CPD place has no delegates to name.
        return redirect("offers:booking_detail", booking.pk)
    places = list(booking.delegates.order_by("pk"))
    initial = [{"name": p.delegate_name, "email": p.delegate_email} for p in places]
    formset = forms.PlaceNameFormSet(request.POST or None, initial=initial, prefix="place")
    problems = []
    if request.method == "POST" and formset.is_valid():
        delegates = [
            Delegate(form.cleaned_data.get("name", ""), form.cleaned_data.get("email", ""))
            for form in formset
        ]
        try:
            services.name_delegates(booking=booking, delegates=delegates, by=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, "Delegates saved")
            return redirect("offers:booking_detail", booking.pk)
    for index, form in enumerate(formset, start=1):
        form.place_number = index
    return render(
        request,
        "offers/cpd/delegates_form.html",
        {
            "booking": booking,
            "session": booking.session,
            "formset": formset,
            "problems": problems,
            "open": timezone.now() < booking.session.starts_at(),
            "breadcrumbs": [
                ("Bookings", reverse("offers:booking_list")),
                (booking.reference, reverse("offers:booking_detail", args=[booking.pk])),
                ("Delegates", ""),
            ],
        },
    )


@role_required(HEAD, COORDINATOR)
def delegate_list(request):
    """A school's CPD delegates (every school's for the coordinator): attendance, evaluation
    and certificate, 50 a page."""
    page = Paginator(selectors.delegate_places_for(request.user), 50).get_page(
        request.GET.get("page")
    )
    for place in page.object_list:
        place.released = services.certificate_released(place)
        place.evaluated = services.has_evaluation(place)
    return render(
        request,
        "offers/cpd/delegates.html",
        {
            "page": page,
            "is_head": request.user.role == HEAD,
            "breadcrumbs": _crumbs(("Delegates", "")),
        },
    )


def _place_or_404(user, pk):
    place = selectors.place_for(user, pk)
    if place is None:
        # Another school's place is as unknown to a headteacher as a missing one.
        if DelegatePlace.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return place


@role_required(HEAD, COORDINATOR)
def evaluation(request, pk):
    """The evaluation of a session, returned by the delegate's school for them (or shown)."""
    place = _place_or_404(request.user, pk)
    questions = services.evaluation_questions()
    form = forms.EvaluationForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_evaluation(
                place=place,
                ratings=form.ratings(),
                comments=form.cleaned_data["comments"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Evaluation returned: {place.delegate_name}'s certificate can be downloaded",
            )
            return redirect("offers:delegate_list")
    returned = services.has_evaluation(place)
    return render(
        request,
        "offers/cpd/evaluation.html",
        {
            "place": place,
            "form": form,
            "returned": returned,
            "ratings": list(place.evaluation.ratings.all()) if returned else [],
            "attended": place.attendance == DelegatePlace.Attendance.PRESENT,
            "breadcrumbs": _crumbs(
                ("Delegates", reverse("offers:delegate_list")), ("Evaluation", "")
            ),
        },
    )


@role_required(HEAD, COORDINATOR)
def certificate(request, pk):
    """The delegate's CPD certificate (PDF), once they attended and returned the evaluation."""
    place = _place_or_404(request.user, pk)
    if not services.certificate_released(place):
        messages.info(
            request,
            "The certificate can be downloaded once the delegate is marked present on the "
            "register and their evaluation is returned",
        )
        return redirect("offers:evaluation", place.pk)
    response = HttpResponse(certificate_pdf(place), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(place)}"'
    return response


@role_required(COORDINATOR)
def evaluation_report(request):
    """Average ratings by course, practitioner and provider, with a chart and a table."""
    report = selectors.evaluation_report()
    charts = {
        "by_offer": rating_chart(
            key="by-offer",
            title="Average rating by course (out of 5)",
            rows=[(row.name, row.average) for row in report["by_offer"]],
        ),
        "by_question": rating_chart(
            key="by-question",
            title="Average rating by question (out of 5)",
            rows=[(row["question"], row["average"]) for row in report["by_question"]],
        ),
    }
    return render(
        request,
        "offers/cpd/evaluation_report.html",
        {**report, "charts": charts, "breadcrumbs": _crumbs(("Evaluations", ""))},
    )
