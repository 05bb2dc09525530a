"""Every sortable list has a "Sort by" form (for a phone, where the stacked rows hide the
sorting column headers): each sortable column both ways, the current order chosen, the
filters kept, and nothing for a list that cannot be sorted."""

import re

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from partnership.tables import PeopleTable
from partnership.templatetags.portal import sort_choices
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_schools_list_sorts_by_the_chosen_column_and_keeps_the_filters(client_for, coordinator):
    for name in ("Alder Primary", "Birch Primary", "Cedar High"):
        SchoolFactory(name=name)
    page = client_for(coordinator).get("/schools/", {"q": "primary", "sort": "-name"})
    html = page.content.decode()
    form = html[html.index('<form method="get" class="portal-sort"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="q" value="primary">' in form
    assert '<option value="-name" selected>Name, descending</option>' in form
    assert '<option value="urn">URN, ascending</option>' in form
    assert '<label class="govuk-label govuk-label--s" for="sort-by">Sort by</label>' in form
    rows = re.findall(r'data-label="Name"><span class="portal-cell"><a[^>]*>([^<]+)</a>', html)
    assert rows == ["Birch Primary", "Alder Primary"]


def test_a_list_not_yet_sorted_offers_as_listed_first():
    request = RequestFactory().get("/people/", {"page": "2"})
    table = PeopleTable([{"email": "a@x"}, {"email": "b@x"}])
    RequestConfig(request).configure(table)
    choices = sort_choices({"request": request}, table)
    assert choices["chosen"] is False and choices["kept"] == []
    assert [o["value"] for o in choices["options"]][:2] == ["name", "-name"]


def test_a_list_of_one_row_or_unsortable_has_no_sort_form():
    request = RequestFactory().get("/people/")
    one = PeopleTable([{"email": "a@x"}])
    RequestConfig(request).configure(one)
    assert sort_choices({"request": request}, one) is None
    fixed = PeopleTable([{"email": "a@x"}, {"email": "b@x"}], orderable=False)
    RequestConfig(request).configure(fixed)
    assert sort_choices({"request": request}, fixed) is None
