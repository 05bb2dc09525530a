"""Membership pages. Who may see what:

- headteachers: their own school's membership, expression of interest, costed agreement
  and withdrawal (another school's pages are 403);
- coordinators: every school's membership, the lists, approve/decline, renewals, lapsing;
- finance officers: every school's membership, the memberships list, the fee schedule;
- board members and practitioners: nothing here.
"""

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from offers.models import Tier
from partnership import exports
from partnership.exports import ExportMixin
from partnership.money import format_money
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.roles import Role
from partnership.words import count_of
from schools.permissions import can_act_for, get_school_or_403, own_school

from . import rules, selectors, services
from .filters import ExpressionOfInterestFilter, MembershipFilter, RenewalFilter
from .forms import (
    AgreementForm,
    BuyBackWindowForm,
    DecisionForm,
    ExpressionOfInterestForm,
    LapseForm,
)
from .models import ExpressionOfInterest, Membership, MembershipYear
from .tables import ExpressionOfInterestTable, MembershipTable, RenewalTable

SCHOOL_READERS = (Role.HEADTEACHER, Role.COORDINATOR, Role.FINANCE)
SCHOOL_ACTORS = (Role.HEADTEACHER,)
MANAGERS = (Role.COORDINATOR,)
LIST_READERS = (Role.COORDINATOR, Role.FINANCE)


def _school_crumbs(request, school, *extra):
    if request.user.role == Role.HEADTEACHER:
        first = [("Membership", reverse("membership:school", args=[school.urn]))]
    else:
        first = [
            ("Memberships", reverse("membership:list")),
            (school.name, reverse("membership:school", args=[school.urn])),
        ]
    return first + list(extra)


def _year_or_404(start_year=None):
    if start_year is None:
        year = selectors.current_year()
        if year is None:
            raise Http404("No membership year has been set up yet")
        return year
    return get_object_or_404(
        MembershipYear, academic_year=f"{start_year}/{(start_year + 1) % 100:02d}"
    )


@role_required(*SCHOOL_ACTORS)
def mine(request):
    school = own_school(request.user)
    if school is None:
        return render(request, "membership/no_school.html", status=404)
    return redirect("membership:school", urn=school.urn)


@role_required(*SCHOOL_READERS)
def school_membership(request, urn):
    """The school's membership: this year's status, frozen fee and basis, what's included,
    its history; invitations to renew; earlier years."""
    school = get_school_or_403(request.user, urn=urn)
    year = selectors.current_year()
    membership = selectors.open_membership(school, year) if year else None
    memberships = list(selectors.memberships_of_school(school))
    upcoming = [
        m
        for m in memberships
        if year
        and m.year.academic_year > year.academic_year
        and m.status not in Membership.CLOSED_STATUSES
    ]
    earlier = [m for m in memberships if m != membership and m not in upcoming]
    on = services.today()
    for invitation in upcoming:
        invitation.buy_back_problem = (
            rules.buy_back_problem(
                year_name=str(invitation.year),
                opens=invitation.year.buy_back_opens,
                closes=invitation.year.buy_back_closes,
                today=on,
            )
            if invitation.renewal_of_id and request.user.role == Role.HEADTEACHER
            else ""
        )
    expression = (
        ExpressionOfInterest.objects.filter(school=school, year=year)
        .select_related("preferred_tier")
        .first()
        if year
        else None
    )
    return render(
        request,
        "membership/school.html",
        {
            "school": school,
            "year": year,
            "membership": membership,
            "inclusions": selectors.inclusions_of(membership.tier if membership else None),
            "history": selectors.membership_history(membership) if membership else [],
            "upcoming": upcoming,
            "earlier": earlier,
            "expression": expression,
            "can_act": request.user.role == Role.HEADTEACHER,
            "can_decide": request.user.role == Role.COORDINATOR,
            "breadcrumbs": _school_crumbs(request, school),
        },
    )


@role_required(*SCHOOL_ACTORS)
def expression_of_interest(request, urn):
    school = get_school_or_403(request.user, urn=urn)
    year = _year_or_404()
    existing = ExpressionOfInterest.objects.filter(school=school, year=year).first()
    initial = (
        {
            "intent": existing.intent,
            "preferred_tier": existing.preferred_tier_id,
            "notes": existing.notes,
        }
        if existing
        else {}
    )
    form = ExpressionOfInterestForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        tiers=Tier.objects.filter(active=True, fee_schemes__year=year).order_by("order", "name"),
    )
    if request.method == "POST" and form.is_valid():
        services.submit_expression_of_interest(
            school=school, year=year, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Thank you: your interest in {year} membership is recorded")
        return redirect("membership:school", urn=school.urn)
    return render(
        request,
        "membership/interest.html",
        {
            "form": form,
            "school": school,
            "year": year,
            "breadcrumbs": _school_crumbs(request, school, ("Expression of interest", None)),
        },
    )


@role_required(*SCHOOL_ACTORS)
def agreement(request, urn, start_year=None):
    """The costed agreement: each tier with this school's exact fee and why; signing freezes it."""
    school = get_school_or_403(request.user, urn=urn)
    year = _year_or_404(start_year)
    on = services.today()
    membership = selectors.open_membership(school, year)
    if membership is not None and membership.status != Membership.Status.INTERESTED:
        messages.info(
            request, f"Your school's {year} membership is {membership.get_status_display().lower()}"
        )
        return redirect("membership:school", urn=school.urn)
    ended = on > year.ends_on
    joined_on = services.joining_date(year, on)
    options = [] if ended else selectors.tier_options(school=school, year=year, joined_on=joined_on)
    initial = {"tier": membership.tier.code} if membership and membership.tier else {}
    form = AgreementForm(
        request.POST if request.method == "POST" else None, options=options, initial=initial
    )
    if request.method == "POST" and not ended and form.is_valid():
        try:
            signed = services.sign_agreement(
                school=school,
                year=year,
                tier=form.chosen_option().tier,
                purchase_order=form.cleaned_data["purchase_order"],
                by=request.user,
                on=on,
            )
        except services.MembershipError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Agreement signed: {signed.tier.name} for {year}, "
                f"{format_money(signed.fee_amount)}. "
                "The partnership will confirm your membership.",
            )
            return redirect("membership:school", urn=school.urn)
    selected = form["tier"].value() if form.is_bound else initial.get("tier")
    return render(
        request,
        "membership/agreement.html",
        {
            "form": form,
            "school": school,
            "year": year,
            "options": options,
            "ended": ended,
            "joined_on": joined_on,
            "mid_year": joined_on > year.starts_on,
            "selected": selected,
            "renewal": membership.renewal_of if membership else None,
            "breadcrumbs": _school_crumbs(request, school, (f"Agreement {year}", None)),
        },
    )


@role_required(*SCHOOL_ACTORS)
def withdraw(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("school", "year", "tier"), pk=pk
    )
    if not can_act_for(request.user, membership.school):
        raise PermissionDenied
    if request.method == "POST":
        try:
            leaving = membership.renewal_of_id and membership.status == Membership.Status.INTERESTED
            services.withdraw(membership=membership, by=request.user)
        except services.MembershipError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"You have told us you are not renewing for {membership.year}"
                if leaving
                else f"Your {membership.year} membership is withdrawn",
            )
        return redirect("membership:school", urn=membership.school.urn)
    return render(
        request,
        "membership/withdraw.html",
        {
            "membership": membership,
            "breadcrumbs": _school_crumbs(request, membership.school, ("Withdraw", None)),
        },
    )


# --- Coordinator and finance -----------------------------------------------------------------


class ListPage(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "membership/list.html"
    export_formats = ["csv"]
    table_pagination = {"per_page": 50}  # tables2 pages the list (one count, not two)
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            export_formats=self.export_formats,
            breadcrumbs=[("Memberships", reverse("membership:list")), (self.title, None)],
        )
        return context


class MembershipList(ListPage):
    allowed_roles = LIST_READERS
    table_class = MembershipTable
    filterset_class = MembershipFilter
    title = "Memberships"
    export_name = "memberships"

    def get_queryset(self):
        return selectors.memberships_for_list()

    def get_table_kwargs(self):
        # Only coordinators decide; finance officers read.
        return {} if self.request.user.role == Role.COORDINATOR else {"exclude": ("decide",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = []
        context["show_links"] = self.request.user.role == Role.COORDINATOR
        return context


class ExpressionOfInterestList(ListPage):
    allowed_roles = MANAGERS
    table_class = ExpressionOfInterestTable
    filterset_class = ExpressionOfInterestFilter
    title = "Expressions of interest"
    export_name = "expressions-of-interest"
    template_name = "membership/interests.html"

    def get_queryset(self):
        return selectors.expressions_for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = (
            self.filterset.form.cleaned_data.get("year") if self.filterset.form.is_valid() else None
        )
        year = chosen or selectors.current_year()
        context.update(planning_year=year, totals=selectors.interest_totals(year) if year else None)
        return context


@role_required(*MANAGERS)
def decide(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("school", "year", "tier", "signed_by"), pk=pk
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == DecisionForm.APPROVE:
                services.approve(membership=membership, by=request.user)
                messages.success(
                    request,
                    f"{membership.school.name} is now an active member for {membership.year}",
                )
            else:
                services.decline(
                    membership=membership, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"{membership.school.name}'s membership is declined")
        except services.MembershipError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("membership:list")
    return render(
        request,
        "membership/decide.html",
        {
            "form": form,
            "membership": membership,
            "inclusions": selectors.inclusions_of(membership.tier),
            "breadcrumbs": [
                ("Memberships", reverse("membership:list")),
                (membership.school.name, None),
            ],
        },
    )


@role_required(*MANAGERS)
def renewals(request):
    """Set the buy-back window for next year, offer renewal to this year's active members,
    see who has answered; lapse a finished year's memberships that were not renewed."""
    year = selectors.current_year()
    on = services.today()
    next_year = selectors.year_named(str(year.academic.next())) if year else None
    finished = [y for y in MembershipYear.objects.all() if y.ends_on < on]
    action = request.POST.get("action")
    lapse_form = LapseForm(request.POST if action == "lapse" else None, years=finished)
    window_form = BuyBackWindowForm(
        request.POST if action == "window" else None,
        initial={"opens": next_year.buy_back_opens, "closes": next_year.buy_back_closes}
        if next_year
        else None,
        prefix="window",
    )
    if request.method == "POST":
        try:
            if action == "window" and next_year is not None and window_form.is_valid():
                services.set_buy_back_window(
                    year=next_year,
                    opens=window_form.cleaned_data["opens"],
                    closes=window_form.cleaned_data["closes"],
                    by=request.user,
                )
                messages.success(request, f"Buy-back window for {next_year} saved")
                return redirect("membership:renewals")
            if action == "renew" and year is not None:
                created = services.offer_renewals(year=year, by=request.user)
                messages.success(
                    request,
                    f"Renewal offered to {count_of(len(created), 'school')} for "
                    f"{year.academic.next()}",
                )
                return redirect("membership:renewals")
            if action == "lapse" and lapse_form.is_valid():
                lapsing = MembershipYear.objects.get(academic_year=lapse_form.cleaned_data["year"])
                count = services.lapse_unrenewed(year=lapsing, by=request.user, on=on)
                messages.success(
                    request, f"{count_of(count, 'membership')} of {lapsing} marked lapsed"
                )
                return redirect("membership:renewals")
        except services.MembershipError as exc:
            target = window_form if action == "window" else None
            if target is not None:
                target.add_error(None, str(exc))
            else:
                messages.error(request, str(exc))
    return render(
        request,
        "membership/renewals.html",
        {
            "year": year,
            "next_year": next_year,
            "window_form": window_form,
            "window_state": rules.buy_back_problem(
                year_name=str(next_year),
                opens=next_year.buy_back_opens,
                closes=next_year.buy_back_closes,
                today=on,
            )
            if next_year
            else "",
            "lapse_form": lapse_form,
            "finished": finished,
            "active_count": Membership.objects.filter(
                year=year, status=Membership.Status.ACTIVE
            ).count()
            if year
            else 0,
            "responses": selectors.renewal_counts(next_year) if next_year else {},
            "breadcrumbs": [("Memberships", reverse("membership:list")), ("Renewals", None)],
        },
    )


class RenewalList(ListPage):
    allowed_roles = MANAGERS
    table_class = RenewalTable
    filterset_class = RenewalFilter
    title = "Renewal responses"
    export_name = "renewal-responses"

    def get_queryset(self):
        return selectors.renewals_for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [
            ("Memberships", reverse("membership:list")),
            ("Renewals", reverse("membership:renewals")),
            (self.title, None),
        ]
        return context


@role_required(*LIST_READERS)
def fee_schedule(request):
    """What every open school would pay in each tier this year; `?tier=CODE` downloads the
    schedule for one tier as CSV (the same as `manage.py export_fee_schedule`)."""
    year = selectors.current_year()
    if year is None:
        raise Http404("No membership year has been set up yet")
    joined_on = None
    if request.GET.get("join_date"):
        try:
            joined_on = date.fromisoformat(request.GET["join_date"])
        except ValueError:
            messages.error(request, "Enter the joining date like 2027-01-15")
    tier_code = request.GET.get("tier")
    if tier_code:
        try:
            rows = selectors.fee_schedule_csv_rows(
                year=year, tier_code=tier_code, joined_on=joined_on
            )
        except LookupError as exc:
            raise Http404(str(exc)) from exc
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="fee-schedule-{tier_code}.csv"'
        csv.writer(response, lineterminator="\n").writerows(map(exports.safe_row, rows))
        return response
    schedule = selectors.fee_schedule(year=year, joined_on=joined_on)
    return render(
        request,
        "membership/fee_schedule.html",
        {"schedule": schedule, "joined_on": joined_on, "breadcrumbs": [("Fee schedule", None)]},
    )


@role_required(*MANAGERS)
def closing_schools(request):
    """Schools closed or closing in GIAS that still have memberships or bookings open, with
    what is open and where to settle it (a converted school's academy is named)."""
    return render(
        request,
        "membership/closing_schools.html",
        {"closing": selectors.closing_schools_with_open_work(services.today())},
    )
