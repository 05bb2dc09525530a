"""Finding an open school by what a visitor types: URN, the start of a postcode, or a name."""

import pytest
from django.db import connection

from schools.models import School
from schools.rules import SchoolSearch, read_school_search
from schools.selectors import find_open_schools
from tests.conftest import requires_postgresql
from tests.factories import SchoolFactory


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        (" 102401 ", "urn", "102401"),
        ("ub8", "postcode", "UB8"),
        ("UB8 3", "postcode", "UB8 3"),
        ("ub83pj", "postcode", "UB8 3PJ"),
        ("sw1a1aa", "postcode", "SW1A 1AA"),
        ("  SW1A   1AA ", "postcode", "SW1A 1AA"),
        ("Brookfield", "name", "Brookfield"),
        ("St  Mary's", "name", "St Mary's"),
        ("12345", "name", "12345"),
    ],
)
def test_what_is_typed_is_read_as_a_urn_a_postcode_or_a_name(typed, kind, value):
    assert read_school_search(typed) == SchoolSearch(kind, value)


def test_too_little_to_search_for_says_so():
    assert read_school_search("  ") == SchoolSearch("", "")
    assert read_school_search("St").problem == "Enter at least 3 letters of the school's name"


@pytest.mark.django_db
def test_each_kind_finds_open_schools_only():
    brookfield = SchoolFactory(name="Brookfield Primary School", urn="102401", postcode="UB8 3PJ")
    cedars = SchoolFactory(name="Cedars Primary School", urn="102402", postcode="UB3 6FA")
    SchoolFactory(name="Closed Primary School", postcode="UB8 1AA", status=School.Status.CLOSED)
    assert find_open_schools(read_school_search("102401")) == [brookfield]
    assert find_open_schools(read_school_search("ub8")) == [brookfield]
    assert find_open_schools(read_school_search("primary")) == [brookfield, cedars]
    assert find_open_schools(read_school_search("ab")) == []
    # Postcode matches come in postcode order, neighbours together.
    zeta = SchoolFactory(name="Zeta Infant School", postcode="UB8 1ZZ")
    assert find_open_schools(read_school_search("UB8")) == [zeta, brookfield]


@pytest.mark.django_db
def test_at_most_one_more_than_the_limit_is_read():
    for n in range(30):
        SchoolFactory(name=f"School {n:02}")
    found = find_open_schools(read_school_search("school"), limit=20)
    assert [school.name for school in found] == [f"School {n:02}" for n in range(21)]


@requires_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "index"),
    [("brook", "schools_school_name_trgm"), ("UB8 3", "schools_school_postcode_prefix")],
)
def test_names_and_postcodes_are_searched_through_an_index(typed, index):
    """The indexes match the expressions Django compares (UPPER of the column), so the
    page's condition is answered by an index, not by testing every school."""
    search = read_school_search(typed)
    field = {"name": "name__icontains", "postcode": "postcode__istartswith"}[search.kind]
    query = School.objects.filter(**{field: search.value}).order_by().query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # Neither reading every row nor walking another index in its order: what is left is
        # an index that answers the condition itself, if there is one.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
