from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnership.exports import ExportMixin
from partnership.models import Partnership
from partnership.navigation import school_record_panels
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.roles import Role

from . import selectors, services, tasks
from .filters import SchoolFilter
from .forms import (
    CausingConcernForm,
    ContactLeftForm,
    GiasImportForm,
    SchoolContactForm,
    SchoolContactInviteForm,
)
from .models import GiasImport, SchoolContact
from .permissions import ALL_SCHOOLS_ROLES, get_school_or_403, own_school
from .tables import SchoolTable


class SchoolListView(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """The register: every school for coordinators and finance; a headteacher goes to their own."""

    allowed_roles = ALL_SCHOOLS_ROLES
    table_class = SchoolTable
    filterset_class = SchoolFilter
    template_name = "schools/school_list.html"
    table_pagination = {"per_page": 50}
    export_formats = ["csv"]
    export_name = "schools"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role == Role.HEADTEACHER:
            school = own_school(request.user)
            if school is None:
                raise PermissionDenied
            return redirect("schools:detail", urn=school.urn)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.census_date = selectors.latest_census_date()
        return selectors.school_register(self.request.user, self.census_date)

    def get_table_kwargs(self):
        return {"census_date": self.census_date}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        context["can_import"] = self.request.user.role == Role.COORDINATOR
        return context


school_list = SchoolListView.as_view()


@role_required(Role.COORDINATOR)
def import_schools(request):
    """Upload a GIAS file: kept, recorded and imported in the background (the same
    import as `manage.py import_gias`); its page shows the progress, then the report."""
    partnership = Partnership.current()
    form = GiasImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"la_codes": partnership.la_code if partnership else ""},
    )
    if request.method == "POST" and form.is_valid():
        record = services.queue_gias_import(
            form.cleaned_data["file"],
            la_codes=form.cleaned_data["la_codes"],
            census_date=form.cleaned_data["census_date"],
            imported_by=request.user,
        )
        _queue_import(record)
        return redirect("schools:import_detail", pk=record.pk)
    return render(
        request,
        "schools/import.html",
        {
            "form": form,
            "imports": selectors.recent_gias_imports(),
            "breadcrumbs": [("Schools", reverse("schools:list")), ("Import from GIAS", None)],
        },
    )


def _queue_import(record):
    """Queue the import once its row (and file) are committed.

    A broker that is down fails the import (its page says so), never the request.
    """

    def send():
        try:
            tasks.import_gias_file.delay(record.pk)
        except Exception:  # the broker (Redis) is unreachable, or an eager run failed
            record.refresh_from_db()
            if not record.finished:
                services.update_gias_import(
                    record.pk,
                    status=GiasImport.Status.FAILED,
                    message=(
                        "The import could not be queued: the task queue is not reachable. "
                        "Nothing was changed. Try again later."
                    ),
                )

    transaction.on_commit(send)


@never_cache  # its progress changes by the second: no browser or proxy may keep it
@role_required(Role.COORDINATOR)
def import_detail(request, pk):
    record = get_object_or_404(GiasImport.objects.select_related("imported_by"), pk=pk)
    return render(
        request,
        "schools/import_detail.html",
        {
            "record": record,
            "progress": selectors.gias_import_progress(record),
            "breadcrumbs": [
                ("Schools", reverse("schools:list")),
                ("Import from GIAS", reverse("schools:import")),
                (record.file_name, None),
            ],
        },
    )


@role_required(Role.COORDINATOR)
def import_status(request, pk):
    record = get_object_or_404(GiasImport, pk=pk)
    return JsonResponse(
        {
            **selectors.gias_import_progress(record),
            "finished": record.finished,
            # The import's page itself shows the outcome (the report, or why it failed).
            "redirect": reverse("schools:import_detail", args=[record.pk])
            if record.finished
            else "",
        }
    )


@role_required(Role.COORDINATOR, Role.FINANCE, Role.HEADTEACHER)
def school_detail(request, urn):
    school = get_school_or_403(request.user, urn=urn)
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            **selectors.school_page(school),
            "panels": school_record_panels(request.user, school),
            "can_manage": request.user.role == Role.COORDINATOR,
            # A headteacher sees the school it replaced named, not linked: not theirs.
            "sees_all_schools": request.user.role in ALL_SCHOOLS_ROLES,
            "breadcrumbs": _breadcrumbs(request.user, school),
        },
    )


@role_required(Role.COORDINATOR)
def causing_concern(request, urn):
    school = get_school_or_403(request.user, urn=urn)
    form = CausingConcernForm.for_school(school, request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = services.set_causing_concern(
            school,
            causing_concern=form.cleaned_data["causing_concern"],
            reason=form.cleaned_data["reason"],
            since=form.cleaned_data["since"],
        )
        messages.success(
            request,
            f"{school.name} is marked as causing concern"
            if school.causing_concern
            else f"{school.name} is no longer marked as causing concern",
        )
        return redirect("schools:detail", urn=school.urn)
    return render(
        request,
        "schools/causing_concern.html",
        {
            "form": form,
            "school": school,
            "breadcrumbs": [
                *_breadcrumbs(request.user, school, link_school=True),
                ("Causing concern", None),
            ],
        },
    )


@role_required(Role.COORDINATOR)
def invite_contact(request, urn):
    school = get_school_or_403(request.user, urn=urn)
    form = SchoolContactInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.invite_school_contact(
            school,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            invited_by=request.user,
            request=request,
            **form.contact_fields(),
        )
        messages.success(request, f"Invitation sent to {contact.user.email}")
        return redirect("schools:detail", urn=school.urn)
    return _contact_page(
        request, school, form, "schools/invite_contact.html", "Invite a school user"
    )


@role_required(Role.COORDINATOR)
def add_contact(request, urn):
    """A contact without a portal account, such as the chair of governors."""
    school = get_school_or_403(request.user, urn=urn)
    form = SchoolContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.add_school_contact(school, **form.contact_fields())
        messages.success(request, f"{contact.full_name} added as a contact")
        return redirect("schools:detail", urn=school.urn)
    return _contact_page(request, school, form, "schools/contact_form.html", "Add a contact")


def _current_contact(school, pk):
    return get_object_or_404(
        SchoolContact.objects.select_related("user"), pk=pk, school=school, left_on__isnull=True
    )


@role_required(Role.COORDINATOR)
def change_contact(request, urn, pk):
    school = get_school_or_403(request.user, urn=urn)
    contact = _current_contact(school, pk)
    form = SchoolContactForm(
        request.POST or None,
        with_name=contact.user is None,
        initial={
            "name": contact.name,
            "email": contact.email,
            **SchoolContactForm.initial_for(contact),
        },
    )
    if request.method == "POST" and form.is_valid():
        contact = services.change_school_contact(contact, **form.contact_fields())
        messages.success(request, f"{contact.full_name}'s details are changed")
        return redirect("schools:detail", urn=school.urn)
    return _contact_page(
        request,
        school,
        form,
        "schools/contact_form.html",
        f"Change {contact.full_name}'s role",
        contact=contact,
    )


@role_required(Role.COORDINATOR)
def contact_left(request, urn, pk):
    school = get_school_or_403(request.user, urn=urn)
    contact = _current_contact(school, pk)
    form = ContactLeftForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        contact = services.mark_contact_left(contact, left_on=form.cleaned_data["left_on"])
        messages.success(request, f"{contact.full_name} is recorded as having left {school.name}")
        return redirect("schools:detail", urn=school.urn)
    return _contact_page(
        request,
        school,
        form,
        "schools/contact_left.html",
        f"{contact.full_name} has left the school",
        contact=contact,
    )


def _contact_page(request, school, form, template, title, **extra):
    return render(
        request,
        template,
        {
            "form": form,
            "school": school,
            "title": title,
            "breadcrumbs": [*_breadcrumbs(request.user, school, link_school=True), (title, None)],
            **extra,
        },
    )


def _breadcrumbs(user, school, link_school=False):
    crumbs = []
    if user.role in ALL_SCHOOLS_ROLES:
        crumbs.append(("Schools", reverse("schools:list")))
    crumbs.append(
        (school.name, reverse("schools:detail", args=[school.urn]) if link_school else None)
    )
    return crumbs
