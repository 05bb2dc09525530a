"""Requests for access: the public page where someone from a school asks for an account,
and the coordinator's queue where each request is approved or declined."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnership.exports import ExportMixin
from partnership.lockout import client_address
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.public import public_page
from partnership.roles import Role

from . import selectors
from . import services_access as services
from .filters_access import AccessRequestFilter
from .forms_access import AccessRequestForm, DeclineAccessForm, FindSchoolForm
from .models import AccessRequest
from .tables_access import AccessRequestTable

TOO_MANY = (
    "Too many requests for access have been sent from your network in the last hour. "
    "Try again in an hour, or contact the partnership."
)


def request_access(request):
    """Anyone may ask for an account for an open school: first find the school (by name,
    URN or postcode, as the fee calculator does), then say who they are. Someone signed in
    already has an account and goes to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    urn = (request.GET.get("urn") or "").strip()
    if not urn:
        return _find_school(request)
    school = selectors.open_school_by_urn(urn)
    if school is None:
        return _find_school(request, unknown_urn=urn)
    form = AccessRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.is_from_a_program:
            # A program filled the hidden field: it is told what a person would be told.
            return redirect("request_access_sent")
        if not services.may_request_from(client_address(request)):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            data = form.cleaned_data
            services.request_access(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role_at_school=data["role_at_school"],
                other_role=data["other_role"],
                school=school,
                sign_in_url=request.build_absolute_uri(reverse("account_login")),
            )
            return redirect("request_access_sent")
    return render(
        request,
        "schools/request_access.html",
        {"form": form, "school": school},
        status=status,
    )


def _find_school(request, unknown_urn=""):
    form = FindSchoolForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "unknown_urn": unknown_urn, "limit": selectors.SEARCH_LIMIT}
    if form.is_bound and form.is_valid():
        search = form.cleaned_data["q"]
        found = selectors.find_open_schools(search)
        if search.kind == "urn" and found:
            return redirect(f"{reverse('request_access')}?{urlencode({'urn': found[0].urn})}")
        context.update(
            search=search,
            results=found[: selectors.SEARCH_LIMIT],
            more=len(found) > selectors.SEARCH_LIMIT,
        )
    return render(
        request,
        "schools/request_access_find.html",
        context,
        status=404 if unknown_urn else 200,
    )


@public_page
def request_access_sent(request):
    return render(request, "schools/request_access_sent.html")


class AccessRequestListView(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """Every request for access, newest first; filter by status, school, name or email."""

    allowed_roles = (Role.COORDINATOR,)
    allow_superusers = True
    table_class = AccessRequestTable
    filterset_class = AccessRequestFilter
    template_name = "schools/access_requests.html"
    table_pagination = {"per_page": 50}
    export_formats = ["csv"]
    export_name = "requests-for-access"

    def get_queryset(self):
        return selectors.access_requests()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        context["pending"] = selectors.pending_access_request_count()
        return context


access_request_list = AccessRequestListView.as_view()


@role_required(Role.COORDINATOR, superusers=True)
def access_request_detail(request, pk):
    """One request: who asked, for which school, and the approve and decline buttons while
    it is pending; once decided, who decided and when."""
    access_request = get_object_or_404(
        AccessRequest.objects.select_related("school", "decided_by", "user"), pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    decline_form = DeclineAccessForm(request.POST if action == "decline" else None)
    problem = ""
    if action in ("approve", "decline"):
        try:
            if action == "approve":
                services.approve_access_request(access_request, by=request.user, request=request)
                messages.success(
                    request,
                    f"Approved: {access_request.full_name} is invited to act for "
                    f"{access_request.school.name}",
                )
                return redirect(f"{reverse('schools:access_requests')}?status=pending")
            if decline_form.is_valid():
                services.decline_access_request(
                    access_request,
                    by=request.user,
                    reason=decline_form.cleaned_data["reason"],
                    contact_url=request.build_absolute_uri(reverse("contact")),
                )
                messages.success(
                    request,
                    f"Declined: {access_request.full_name} has been emailed the reason",
                )
                return redirect(f"{reverse('schools:access_requests')}?status=pending")
        except services.AccessRequestError as exc:
            problem = str(exc)
    return render(
        request,
        "schools/access_request_detail.html",
        {
            "access_request": access_request,
            "decline_form": decline_form,
            "problem": problem,
            "has_account": access_request.is_pending
            and services.already_known(access_request.email) == services.ACCOUNT,
            "breadcrumbs": [
                ("Requests for access", reverse("schools:access_requests")),
                (access_request.full_name, None),
            ],
        },
    )
