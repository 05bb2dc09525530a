"""Floors for the list pages: what a page costs at least, built by hand.

Each floor shows the same 50 rows of the same queryset as the real page (the real view's
own queryset and filters), through the same middleware, signed in, at three levels:

- ``plain``: a bare HTML table, no layout;
- ``layout``: the GOV.UK layout (base.html, the menu) with a hand-written table;
- ``full``: the same plus the filter form, the count, pagination and sort links.

Only the benchmark's own URLconf (benchmarks/urls.py) routes to these views; the
product's URLs never do.
"""

from django.shortcuts import render
from django.utils.html import format_html

from partnership.money import format_money
from partnership.templatetags.portal import status_tag

PER_PAGE = 50


def _class_view_rows(view_class, request):
    view = view_class()
    view.setup(request)
    view.object_list = view.get_queryset()
    filterset = view.get_filterset(view.get_filterset_class())
    return filterset, filterset.qs


def _schools(request):
    from schools import selectors
    from schools.views import SchoolListView

    filterset, rows = _class_view_rows(SchoolListView, request)
    census = selectors.latest_census_date()
    headers = ["Name", "URN", "Category", "Governance", "Status", "Causing concern"]
    headers.append(f"Pupils ({census:%d %b %Y})" if census else "Pupils")
    rows = rows.order_by("name")

    def cells(school):
        return [
            (school.name, f"/schools/{school.urn}/", ""),
            (school.urn, None, ""),
            (school.get_category_display(), None, ""),
            (school.get_governance_display(), None, ""),
            (status_tag(school.status, school.get_status_display()), None, ""),
            (status_tag("red", "Causing concern") if school.causing_concern else "No", None, ""),
            (
                "Not known" if school.pupils is None else school.pupils,
                None,
                " govuk-table__cell--numeric",
            ),
        ]

    return filterset, rows, headers, cells


def _memberships(request):
    from membership.views import MembershipList

    filterset, rows = _class_view_rows(MembershipList, request)
    headers = ["School", "Category", "Year", "Tier", "Status", "Fee", "Signed", "Action"]
    rows = rows.order_by("school__name")

    def cells(membership):
        school = membership.school
        decide = "—"
        if membership.status == "pending":
            decide = format_html(
                '<a class="govuk-link" href="/membership/decide/{}/">Decide'
                '<span class="govuk-visually-hidden"> on {}</span></a>',
                membership.pk,
                school.name,
            )
        signed = membership.signed_at
        return [
            (school.name, f"/membership/school/{school.urn}/", ""),
            (school.get_category_display() or "None", None, ""),
            (membership.year.academic_year, None, ""),
            (membership.tier.name if membership.tier else "Not chosen", None, ""),
            (status_tag(membership.status, membership.get_status_display()), None, ""),
            (format_money(membership.fee_amount), None, " portal-num"),
            (f"{signed:%d %b %Y}" if signed else "—", None, ""),
            (decide, None, ""),
        ]

    return filterset, rows, headers, cells


def _invoices(request):
    from finance import selectors
    from finance.filters import InvoiceFilter
    from finance.models import Invoice

    filterset = InvoiceFilter(request.GET, queryset=selectors.invoices_for(request.user))
    rows = filterset.qs.order_by("-issue_date", "-number")
    headers = ["Number", "Billed to", "Issue date", "Due date", "Billing", "Total"]
    headers += ["Balance", "Status"]
    statuses = dict(Invoice.Status.choices)

    def cells(invoice):
        return [
            (invoice.number, f"/finance/invoices/{invoice.pk}/", " portal-nowrap"),
            (invoice.bill_to, None, ""),
            (f"{invoice.issue_date:%d %b %Y}", None, ""),
            (f"{invoice.due_date:%d %b %Y}", None, ""),
            (invoice.get_billing_display(), None, ""),
            (format_money(invoice.gross_total), None, " portal-num"),
            (format_money(invoice.balance), None, " portal-num"),
            (status_tag(invoice.status, statuses.get(invoice.status)), None, ""),
        ]

    return filterset, rows, headers, cells


PAGES = {"schools": _schools, "memberships": _memberships, "invoices": _invoices}
# The real page each floor stands under.
REAL = {"schools": "/schools/", "memberships": "/membership/all/", "invoices": "/finance/invoices/"}


def floor(request, page, level):
    filterset, queryset, headers, cells = PAGES[page](request)
    rows = [cells(record) for record in queryset[:PER_PAGE]]
    context = {"headers": headers, "rows": rows, "title": page.capitalize()}
    if level == "full":
        count = queryset.count()
        pages = -(-count // PER_PAGE)
        context.update(
            filter=filterset,
            count=count,
            shown=min(count, PER_PAGE),
            page_links=[1, 2, 3] + ([pages] if pages > 3 else []),
            last_page=pages,
            sorts=[f"?sort={n}" for n in range(len(headers))],
        )
    return render(request, f"bench/floor_{'plain' if level == 'plain' else 'layout'}.html", context)
