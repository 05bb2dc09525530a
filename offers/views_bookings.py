"""Pages for booking support, CPD places, deployments and LA-commissioned packages.

Views check the role, then the school (headteachers act only for their own school,
practitioners only confirm their own days), call a service and show its refusals in
the GOV.UK error summary.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnership.calendars import AcademicYear
from partnership.exports import ExportMixin
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.roles import Role
from partnership.templatetags.portal import filters_applied
from schools.permissions import can_act_for, own_school

from . import filters_bookings as filters
from . import forms_bookings as forms
from . import selectors_bookings as selectors
from . import selectors_impact as impact_selectors
from . import services_bookings as services
from . import services_impact as impact_services
from . import tables_bookings as tables
from .charts import demand_chart
from .history import booking_history
from .models import Booking, CommissionedPackage, CourseSession, Deployment

HEAD = Role.HEADTEACHER
COORDINATOR = Role.COORDINATOR
BOOKING_READERS = (Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE)


def _bookings_crumbs(*more):
    return [("Bookings", reverse("offers:booking_list")), *more]


def _add_errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


def _booking_or_403(user, pk):
    """The booking, if this person may see it: 404 when missing, 403 when not their school's."""
    booking = selectors.booking_with_details(pk)
    if booking is None:
        raise Http404
    if not can_act_for(user, booking.school):
        raise PermissionDenied
    return booking


def _head_school(user):
    school = own_school(user)
    if school is None:
        raise PermissionDenied
    return school


class BookingListView(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """Bookings: a headteacher's own school's, or every school's for staff."""

    allowed_roles = BOOKING_READERS
    table_class = tables.BookingTable
    filterset_class = filters.BookingFilter
    template_name = "offers/bookings/list.html"
    export_formats = ["csv"]
    export_name = "bookings"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.bookings_for(self.request.user)

    def get_table_kwargs(self):
        kwargs = {}
        if not filters_applied(self.filterset):
            # Nothing booked yet is not "nothing matches these filters" when none is set.
            kwargs["empty_text"] = "No bookings yet."
        # A headteacher's list is all their own school's (the school column would repeat it)
        # and is about when the support happens, not when it was booked.
        if self.request.user.role == HEAD:
            kwargs.update(exclude=("school", "created"), order_by=("-support_date",))
            if "empty_text" in kwargs:
                kwargs["empty_text"] = "Your school has no bookings yet."
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            export_formats=self.export_formats,
            school=own_school(self.request.user),
            is_head=self.request.user.role == HEAD,
            is_coordinator=self.request.user.role == COORDINATOR,
        )
        return context


@role_required(HEAD)
def booking_create(request):
    """Choose support, then see the price, included units and cancellation rule, then confirm."""
    school = _head_school(request.user)
    form = forms.BookingForm(request.POST or None, school=school)
    context = {
        "form": form,
        "school": school,
        "breadcrumbs": _bookings_crumbs(("Book support", "")),
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_bookable(school=school, offer=data["offer"], units=data["units"])
            quote = services.quote_booking(school=school, offer=data["offer"], units=data["units"])
            if quote.unit_price is None:
                raise ValidationError(
                    f"{data['offer'].name} cannot be booked: {quote.price_reason}"
                )
            if "confirm" in request.POST:
                booking = services.book(
                    school=school,
                    offer=data["offer"],
                    units=data["units"],
                    by=request.user,
                    purchase_order=data["purchase_order"],
                    preferred_start=data["preferred_start"],
                    preferred_dates=data["preferred_dates"],
                    notes=data["notes"],
                )
                messages.success(request, _booked_message(booking))
                return redirect("offers:booking_detail", booking.pk)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            context["quote"] = quote
            return render(request, "offers/bookings/check.html", context)
    return render(request, "offers/bookings/create.html", context)


def _booked_message(booking):
    if booking.status == Booking.Status.WAITING:
        return (
            f"{booking.offer.name} is fully booked: {booking.school.name} is number "
            f"{booking.waiting_position} on the waiting list"
        )
    if booking.status == Booking.Status.CONFIRMED:
        return f"Booking {booking.reference} is confirmed"
    return f"Booking {booking.reference} is requested: the coordinator will confirm it"


@role_required(*BOOKING_READERS)
def booking_detail(request, pk):
    booking = _booking_or_403(request.user, pk)
    if booking.status == Booking.Status.OFFERED:
        from .services_waiting import expire_lapsed_offers

        # A hold that has run out passes the place on before the page shows it.
        if expire_lapsed_offers(offer=booking.offer, session=booking.session):
            booking = _booking_or_403(request.user, pk)
    today = timezone.localdate()
    user = request.user
    open_booking = booking.status not in (Booking.Status.CANCELLED, Booking.Status.DELIVERED)
    has_planned = any(d.status == Deployment.Status.PLANNED for d in booking.deployments.all())
    return render(
        request,
        "offers/bookings/detail.html",
        {
            "booking": booking,
            "charge": services.rules.booking_charge(
                units=booking.units,
                included_units=booking.included_units,
                unit_price=booking.unit_price,
            ),
            "first_date": services.first_date(booking),
            "policy": getattr(booking.offer, "cancellation_policy", None),
            "can_cancel": open_booking and user.role in (HEAD, COORDINATOR),
            "can_confirm": user.role == COORDINATOR and booking.status == Booking.Status.REQUESTED,
            "can_deploy": user.role == COORDINATOR and booking.status == Booking.Status.CONFIRMED,
            "can_mark_delivered": user.role == COORDINATOR
            and booking.status == Booking.Status.CONFIRMED
            and not has_planned,
            "today": today,
            **_waiting_context(user, booking),
            # Staff see who changed what; a school's people do not see staff names.
            "history": (
                booking_history(booking) if user.role in (COORDINATOR, Role.FINANCE) else None
            ),
            "breadcrumbs": _bookings_crumbs((booking.reference, "")),
            **_objectives_context(user, booking),
        },
    )


def _waiting_context(user, booking):
    """A place held for the school (its answer page), and the list for the coordinator."""
    from .services_waiting import when
    from .views_waiting import list_url_for

    on_list = booking.status in (Booking.Status.WAITING, Booking.Status.OFFERED)
    return {
        "held_until": when(booking.offer_expires_at) if booking.offer_expires_at else "",
        "answer_url": reverse("offers:booking_place", args=[booking.pk])
        if user.role == HEAD and booking.status == Booking.Status.OFFERED
        else "",
        "waiting_list_url": list_url_for(booking) if user.role == COORDINATOR and on_list else "",
    }


def _objectives_context(user, work):
    """The work's objectives for anyone who may see it; the coordinator adds and reviews."""
    coordinator = user.role == COORDINATOR
    add_url = None
    if coordinator and work.status not in impact_services.CANCELLED:
        name = (
            "offers:booking_objective_add"
            if isinstance(work, Booking)
            else ("offers:package_objective_add")
        )
        add_url = reverse(name, args=[work.pk])
    return {
        "objectives": impact_selectors.objectives_for_work(work),
        "can_review": coordinator,
        "add_objective_url": add_url,
    }


@role_required(HEAD, COORDINATOR)
def booking_cancel(request, pk):
    """Show what cancelling today costs; cancel only when the person confirms."""
    booking = _booking_or_403(request.user, pk)
    today = timezone.localdate()
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.DELIVERED):
        messages.error(
            request, f"Booking {booking.reference} is {booking.get_status_display().lower()}"
        )
        return redirect("offers:booking_detail", booking.pk)
    errors = []
    if request.method == "POST":
        try:
            booking = services.cancel(booking=booking, by=request.user, today=today)
        except ValidationError as error:
            errors = error.messages
        else:
            charge = booking.cancellation_charge
            messages.success(
                request,
                f"Booking {booking.reference} is cancelled"
                + (
                    f": a cancellation charge of £{charge:,} will be invoiced"
                    if charge
                    else " free of charge"
                ),
            )
            return redirect("offers:booking_detail", booking.pk)
    return render(
        request,
        "offers/bookings/cancel.html",
        {
            "booking": booking,
            "charge": services.cancellation_charge_for(booking, today),
            "first_date": services.first_date(booking),
            "policy": getattr(booking.offer, "cancellation_policy", None),
            "errors": errors,
            "breadcrumbs": _bookings_crumbs(
                (booking.reference, reverse("offers:booking_detail", args=[booking.pk])),
                ("Cancel", ""),
            ),
        },
    )


@role_required(COORDINATOR)
@require_POST
def booking_confirm(request, pk):
    booking = _booking_or_403(request.user, pk)
    try:
        services.confirm(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Booking {booking.reference} is confirmed")
    return redirect("offers:booking_detail", booking.pk)


def _deliver_page(request, work, back_url, crumbs):
    form = forms.DeliveredOnForm(
        request.POST or None,
        initial={"delivered_on": timezone.localdate()},
        year=AcademicYear.parse(work.academic_year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_delivered(
                work=work, by=request.user, on=form.cleaned_data["delivered_on"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{work.reference} is recorded as delivered")
            return redirect(back_url)
    return render(
        request,
        "offers/bookings/deliver.html",
        {"form": form, "work": work, "back_url": back_url, "breadcrumbs": crumbs},
    )


@role_required(COORDINATOR)
def booking_deliver(request, pk):
    """Record delivery of support with no practitioner days (CPD places, networks)."""
    booking = _booking_or_403(request.user, pk)
    url = reverse("offers:booking_detail", args=[booking.pk])
    return _deliver_page(
        request, booking, url, _bookings_crumbs((booking.reference, url), ("Record delivery", ""))
    )


def _deploy_page(request, work, back_url, crumbs):
    form = forms.DeployForm(request.POST or None, year=AcademicYear.parse(work.academic_year))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deployment = services.deploy(
                work=work,
                practitioner=data["practitioner"],
                dates=data["dates"],
                days=data["days"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{deployment.practitioner.name} is deployed for {deployment.days.normalize():f} "
                f"day{'s' if deployment.days != 1 else ''} at {work.school.name}",
            )
            return redirect(back_url)
    summary = selectors.practitioner_days_summary(work.academic_year)
    return render(
        request,
        "offers/deployments/deploy.html",
        {"form": form, "work": work, "practitioners": summary, "breadcrumbs": crumbs},
    )


@role_required(COORDINATOR)
def booking_deploy(request, pk):
    booking = _booking_or_403(request.user, pk)
    url = reverse("offers:booking_detail", args=[booking.pk])
    return _deploy_page(
        request,
        booking,
        url,
        _bookings_crumbs((booking.reference, url), ("Deploy a practitioner", "")),
    )


@role_required(HEAD, COORDINATOR)
def session_list(request):
    """CPD courses with dated sessions and places left."""
    today = timezone.localdate()
    sessions = list(selectors.upcoming_sessions(today))
    for session in sessions:
        session.left = max(session.places - (session.taken or 0), 0)
    return render(
        request,
        "offers/bookings/sessions.html",
        {
            "sessions": sessions,
            "is_head": request.user.role == HEAD,
            "breadcrumbs": _bookings_crumbs(("CPD courses", "")),
        },
    )


@role_required(HEAD)
def session_book(request, pk):
    """Book one place per named delegate; the page shows the price and cancellation rule first."""
    school = _head_school(request.user)
    session = get_object_or_404(CourseSession.objects.select_related("offer"), pk=pk)
    form = forms.DelegatesForm(request.POST or None, session=session)
    quote = services.quote_booking(
        school=school,
        offer=session.offer,
        units=1,
        academic_year=services.current_academic_year(session.date),
        session=session,
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_places(
                school=school,
                session=session,
                delegates=form.cleaned_data["delegates"],
                by=request.user,
                purchase_order=form.cleaned_data["purchase_order"],
                unnamed=form.cleaned_data["unnamed"] or 0,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _booked_message(booking))
            return redirect("offers:booking_detail", booking.pk)
    return render(
        request,
        "offers/bookings/session_book.html",
        {
            "form": form,
            "session": session,
            "quote": quote,
            "school": school,
            "breadcrumbs": _bookings_crumbs(
                ("CPD courses", reverse("offers:session_list")), ("Book places", "")
            ),
        },
    )


@role_required(COORDINATOR)
def demand(request):
    """Bookings by status and offer this academic year, with each waiting list in order."""
    year = request.GET.get("year") or services.current_academic_year()
    try:
        services.AcademicYear.parse(year)
    except ValueError:
        year = services.current_academic_year()
    rows = selectors.demand(year)
    requested = (
        Booking.objects.filter(status=Booking.Status.REQUESTED)
        .select_related("school", "offer")
        .order_by("created")
    )
    return render(
        request,
        "offers/bookings/demand.html",
        {
            "rows": rows,
            "chart": demand_chart(rows),
            "year": year,
            "requested": requested,
            "breadcrumbs": _bookings_crumbs(("Demand", "")),
        },
    )


class DeploymentListView(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    allowed_roles = (COORDINATOR,)
    table_class = tables.DeploymentTable
    filterset_class = filters.DeploymentFilter
    template_name = "offers/deployments/list.html"
    export_formats = ["csv"]
    export_name = "deployments"
    table_pagination = {"per_page": 50}
    title = "Deployments"

    def get_queryset(self):
        return selectors.deployments_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            export_formats=self.export_formats,
            title=self.title,
            is_coordinator=self.request.user.role == COORDINATOR,
        )
        return context


class MyDeploymentListView(DeploymentListView):
    """A practitioner's own deployments, where they confirm days delivered."""

    allowed_roles = (Role.PRACTITIONER,)
    filterset_class = filters.MyDeploymentFilter
    export_name = "your-deployments"
    title = "Your deployments"


@role_required(Role.PRACTITIONER, COORDINATOR)
def deployment_deliver(request, pk):
    """Confirm days were delivered: a practitioner their own, the coordinator anyone's."""
    deployment = get_object_or_404(selectors.deployments_list(), pk=pk)
    if not services.may_confirm_delivery(request.user, deployment):
        raise PermissionDenied
    back = reverse(
        "offers:deployment_list" if request.user.role == COORDINATOR else "offers:my_deployments"
    )
    errors = []
    if request.method == "POST":
        try:
            deployment = services.record_delivery(deployment=deployment, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"{deployment.days.normalize():f} day{'s' if deployment.days != 1 else ''} at "
                f"{deployment.school.name} recorded as delivered",
            )
            return redirect(back)
    return render(
        request,
        "offers/deployments/deliver.html",
        {
            "deployment": deployment,
            "dates": [d.date for d in deployment.dates.all() if d.active],
            "errors": errors,
            "back": back,
            "breadcrumbs": [
                ("Deployments" if request.user.role == COORDINATOR else "Your deployments", back),
                ("Confirm days delivered", ""),
            ],
        },
    )


@role_required(COORDINATOR)
def deployment_calendar(request):
    """Practitioners × Monday to Friday for one ISO week (?week=2026-W47)."""
    monday = selectors.parse_week(request.GET.get("week"), timezone.localdate())
    weekdays, rows = selectors.deployment_calendar(monday)
    return render(
        request,
        "offers/deployments/calendar.html",
        {
            "weekdays": weekdays,
            "rows": rows,
            "week": selectors.week_label(monday),
            "previous_week": selectors.week_label(monday - timedelta(days=7)),
            "next_week": selectors.week_label(monday + timedelta(days=7)),
            "breadcrumbs": [("Deployments", reverse("offers:deployment_list")), ("Calendar", "")],
        },
    )


class PackageListView(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    allowed_roles = (COORDINATOR,)
    table_class = tables.CommissionedPackageTable
    filterset_class = filters.PackageFilter
    template_name = "offers/bookings/packages.html"
    export_formats = ["csv"]
    export_name = "commissioned-support"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.packages_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        return context


def _packages_crumbs(*more):
    return [("Commissioned support", reverse("offers:package_list")), *more]


@role_required(COORDINATOR)
def package_create(request):
    form = forms.CommissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            package = services.commission(
                school=data["school"],
                offer=data["offer"],
                units=data["units"],
                budget=data["budget"],
                reason=data["reason"],
                notes=data["notes"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{package.reference} commissioned for {package.school.name}")
            return redirect("offers:package_detail", package.pk)
    return render(
        request,
        "offers/bookings/package_create.html",
        {"form": form, "breadcrumbs": _packages_crumbs(("Commission support", ""))},
    )


def _package(pk):
    return get_object_or_404(
        CommissionedPackage.objects.select_related("school", "offer", "commissioned_by"), pk=pk
    )


@role_required(COORDINATOR)
def package_detail(request, pk):
    package = _package(pk)
    deployments = selectors.deployments_list().filter(package=package)
    return render(
        request,
        "offers/bookings/package_detail.html",
        {
            "package": package,
            "deployments": deployments,
            "cost": services.rules.booking_charge(
                units=package.units, included_units=0, unit_price=package.unit_price
            ),
            "can_deploy": package.status == CommissionedPackage.Status.COMMISSIONED,
            "breadcrumbs": _packages_crumbs((package.reference, "")),
            **_objectives_context(request.user, package),
        },
    )


@role_required(COORDINATOR)
def package_deploy(request, pk):
    package = _package(pk)
    url = reverse("offers:package_detail", args=[package.pk])
    return _deploy_page(
        request,
        package,
        url,
        _packages_crumbs((package.reference, url), ("Deploy a practitioner", "")),
    )


@role_required(COORDINATOR)
def package_deliver(request, pk):
    package = _package(pk)
    url = reverse("offers:package_detail", args=[package.pk])
    return _deliver_page(
        request, package, url, _packages_crumbs((package.reference, url), ("Record delivery", ""))
    )
