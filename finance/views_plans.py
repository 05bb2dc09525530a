"""Three-year plans: finance officers and coordinators make and change them; board members
read them, as they read the partnership's figures on their dashboard."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from partnership.permissions import role_required
from partnership.roles import Role

from . import pdf, plans, reports
from .charts import plan_chart
from .forms import PlanCopyForm, PlanForm, PlanStartForm
from .views import dataset_response, file_name

PLAN_EDITORS = (Role.FINANCE, Role.COORDINATOR)
PLAN_READERS = (Role.FINANCE, Role.COORDINATOR, Role.BOARD)
# Who opens the break-even report itself (finance.views.REPORT_READERS).
REPORT_READERS = (Role.FINANCE, Role.COORDINATOR)
MOST_COMPARED = 4


def _plan(pk):
    return get_object_or_404(plans.plans_with_parts(), pk=pk)


def _list(request, error=""):
    saved = [plans.plan_figures(plan) for plan in plans.plans_with_parts()]
    return render(
        request,
        "finance/plans/list.html",
        {"saved": saved, "may_edit": request.user.has_role(*PLAN_EDITORS), "error": error},
    )


@role_required(*PLAN_READERS)
def plan_list(request):
    return _list(request)


@role_required(*PLAN_EDITORS)
def plan_new(request):
    years = plans.base_years()
    form = PlanStartForm(
        request.POST or None, years=years, initial={"base_year": years[0] if years else None}
    )
    if request.method == "POST" and form.is_valid():
        plan = plans.start_plan(created_by=request.user, **form.cleaned_data)
        messages.success(request, f"{plan.name} started from the {plan.base_year} budget")
        return redirect("finance:plan_edit", pk=plan.pk)
    return render(request, "finance/plans/start.html", {"form": form, "years": years})


@role_required(*PLAN_READERS)
def plan_detail(request, pk):
    figures = plans.plan_figures(_plan(pk))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        name = file_name("plan", figures.plan.name.lower(), figures.plan.base_year)
        return dataset_response(plans.plan_dataset(figures), name, fmt)
    return render(
        request,
        "finance/plans/detail.html",
        {
            "figures": figures,
            "chart": plan_chart(figures),
            "may_edit": request.user.has_role(*PLAN_EDITORS),
            "compared": plans.against_break_even(
                figures, reports.break_even_report(figures.plan.base_year)
            ),
            "may_read_reports": request.user.has_role(*REPORT_READERS),
        },
    )


@role_required(*PLAN_READERS)
def plan_pdf(request, pk):
    """The plan as its page shows it, with the break-even report beside year 1, as a PDF.
    Rendered on request, not kept: a plan changes, and the PDF says the day it was made."""
    figures = plans.plan_figures(_plan(pk))
    content = pdf.render_pdf(
        "finance/pdf/plan.html",
        {
            "figures": figures,
            "compared": plans.against_break_even(
                figures, reports.break_even_report(figures.plan.base_year)
            ),
            "printed_on": timezone.localdate(),
        },
    )
    name = file_name("plan", slugify(figures.plan.name), figures.plan.base_year)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@role_required(*PLAN_EDITORS)
def plan_edit(request, pk):
    plan = _plan(pk)
    year_names = plans.plan_year_names(plan.base_year)
    form = PlanForm(request.POST or None, plan=plan, year_names=year_names)
    if request.method == "POST" and form.is_valid():
        plans.change_plan(plan=plan, data=form.cleaned_data)
        messages.success(request, f"{plan.name} saved")
        return redirect("finance:plan", pk=plan.pk)
    return render(request, "finance/plans/form.html", {"form": form, "plan": plan})


@role_required(*PLAN_EDITORS)
def plan_copy(request, pk):
    plan = _plan(pk)
    form = PlanCopyForm(request.POST or None, initial={"name": f"{plan.name} (copy)"})
    if request.method == "POST" and form.is_valid():
        copy = plans.copy_plan(plan=plan, name=form.cleaned_data["name"], created_by=request.user)
        messages.success(request, f"{copy.name} saved as a copy of {plan.name}")
        return redirect("finance:plan_edit", pk=copy.pk)
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": f"Copy {plan.name}",
            "intro": "The copy starts with the same figures; change it and compare the two.",
            "button": "Save the copy",
        },
    )


@role_required(*PLAN_READERS)
def plan_compare(request):
    chosen = [pk for pk in request.GET.getlist("plan") if pk.isdigit()][:MOST_COMPARED]
    found = list(plans.plans_with_parts().filter(pk__in=chosen))
    if len(found) < 2:
        return _list(request, error=f"Select between 2 and {MOST_COMPARED} plans to compare")
    compared = plans.compared(found)
    return render(
        request,
        "finance/plans/compare.html",
        {"compared": compared, "side_by_side": plans.side_by_side(compared)},
    )
