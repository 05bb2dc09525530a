"""The public fee calculator: anyone finds a school and sees its fee for every membership."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from partnership.public import public_page
from schools import selectors as schools
from schools.forms_access import FindSchoolForm

from . import selectors, services


@public_page
def fee_calculator(request):
    """`?q=` lists the open schools it finds (a URN goes straight to the school); `?urn=`
    shows that school's fee for each membership, with how it is worked out; with neither,
    how each membership's fee is worked out."""
    today = services.today()
    form = FindSchoolForm(request.GET if "q" in request.GET else None)
    context = {"form": form, "today": today, "limit": schools.SEARCH_LIMIT}
    if "urn" in request.GET:
        urn = request.GET["urn"].strip()
        school = schools.open_school_by_urn(urn)
        if school is None:
            context.update(not_found=True, unknown_urn=urn, schedules=_schedules(today))
            return render(request, "membership/fees.html", context, status=404)
        context.update(school=school, school_fees=selectors.school_fees(school, today=today))
        return render(request, "membership/fees.html", context)
    if form.is_bound and form.is_valid():
        search = form.cleaned_data["q"]
        found = schools.find_open_schools(search)
        if search.kind == "urn" and found:
            return redirect(f"{reverse('fees')}?{urlencode({'urn': found[0].urn})}")
        context.update(
            search=search,
            results=found[: schools.SEARCH_LIMIT],
            more=len(found) > schools.SEARCH_LIMIT,
        )
    context["schedules"] = _schedules(today)
    return render(request, "membership/fees.html", context)


def _schedules(today):
    """[(year, its fee schemes)] for the years whose fees are published."""
    return [
        (year, selectors.published_schemes(year)) for year in selectors.published_fee_years(today)
    ]
