"""The register's pages: list, export, school page, causing concern, invitations, upload."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.models import User
from partnership.roles import Role
from schools.models import PupilCount, School, SchoolContact
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
LIST = "/schools/"


@pytest.fixture
def register(school_a, school_b):
    """Alpha (420) and Beta (210) primaries, a secondary causing concern, a closed school."""
    secondary = SchoolFactory(
        name="Gamma Academy",
        urn="137506",
        phase="Secondary",
        category="secondary",
        governance="academy",
        type_group="Academies",
        establishment_type="Academy converter",
        causing_concern=True,
        concern_reason="Ofsted: serious weaknesses",
        concern_since=datetime.date(2025, 11, 3),
        pupils=1100,
    )
    closed = SchoolFactory(name="Delta Infant School", status="closed", gias_status="Closed")
    return school_a, school_b, secondary, closed


def names(response):
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_list_shows_pupils_at_the_latest_census(client_for, coordinator, register):
    PupilCount.objects.create(
        school=register[0], census_date=datetime.date(2025, 1, 16), pupils=401
    )
    response = client_for(coordinator).get(LIST)
    assert names(response) == [
        "Alpha Primary School",
        "Beta Primary School",
        "Delta Infant School",
        "Gamma Academy",
    ]
    assert [row.record.pupils for row in response.context["table"].paginated_rows] == [
        420,
        210,
        None,
        1100,
    ]
    assert "Pupils (15 Jan 2026)" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=beta", ["Beta Primary School"]),
        ("q=137506", ["Gamma Academy"]),
        ("category=secondary", ["Gamma Academy"]),
        ("phase=Secondary", ["Gamma Academy"]),
        ("type_group=Academies", ["Gamma Academy"]),
        ("status=closed", ["Delta Infant School"]),
        ("causing_concern=yes", ["Gamma Academy"]),
        ("causing_concern=no&status=open", ["Alpha Primary School", "Beta Primary School"]),
        (
            "sort=-pupils",
            ["Gamma Academy", "Alpha Primary School", "Beta Primary School", "Delta Infant School"],
        ),
    ],
)
def test_list_search_filters_and_sorting(client_for, coordinator, register, query, expected):
    assert names(client_for(coordinator).get(f"{LIST}?{query}")) == expected


def test_finance_officer_sees_the_list(client_for, finance_officer, register):
    assert len(names(client_for(finance_officer).get(LIST))) == 4


def test_csv_export(client_for, coordinator, register):
    response = client_for(coordinator).get(f"{LIST}?_export=csv&category=primary")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "URN",
        "LA code",
        "Phase",
        "Type",
        "Category",
        "Governance",
        "Type group",
        "Status",
        "GIAS status",
        "Causing concern",
        "Pupils (15 Jan 2026)",
        "Census date",
        "Postcode",
    ]
    alpha, beta, _, delta = register
    assert rows[1:] == [
        [
            "Alpha Primary School",
            alpha.urn,
            "312",
            "Primary",
            "Community school",
            "Primary",
            "Community",
            "Local authority maintained schools",
            "Open",
            "Open",
            "no",
            "420",
            "2026-01-15",
            "UB8 1AA",
        ],
        [
            "Beta Primary School",
            beta.urn,
            "312",
            "Primary",
            "Community school",
            "Primary",
            "Community",
            "Local authority maintained schools",
            "Open",
            "Open",
            "no",
            "210",
            "2026-01-15",
            "UB8 1AA",
        ],
        [
            "Delta Infant School",
            delta.urn,
            "312",
            "Primary",
            "Community school",
            "Primary",
            "Community",
            "Local authority maintained schools",
            "Closed",
            "Closed",
            "no",
            "",
            "",
            "UB8 1AA",
        ],
    ]


def test_list_queries_do_not_grow_with_rows(client_for, coordinator):
    client = client_for(coordinator)

    def queries_with(count):
        SchoolFactory.create_batch(
            count - School.objects.count(),
            pupils=300,
            causing_concern=True,
            concern_reason="Ofsted: inadequate",
            concern_since=datetime.date(2026, 1, 1),
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert len(names(response)) == count
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_school_page_shows_the_record_counts_and_contacts(
    client_for, coordinator, school_a, head_a
):
    PupilCount.objects.create(
        school=school_a, census_date=datetime.date(2025, 1, 16), pupils=401, source="gias-2025.csv"
    )
    response = client_for(coordinator).get(reverse("schools:detail", args=[school_a.urn]))
    page = response.content.decode()
    assert "Alpha Primary School" in page
    assert [(c.census_date, c.pupils) for c in response.context["pupil_counts"]] == [
        (datetime.date(2026, 1, 15), 420),
        (datetime.date(2025, 1, 16), 401),
    ]
    assert "gias-2025.csv" in page
    assert [c.user.email for c in response.context["contacts"]] == ["head.a@alpha.sch.uk"]
    assert reverse("schools:concern", args=[school_a.urn]) in page
    assert reverse("schools:invite_contact", args=[school_a.urn]) in page


def test_headteacher_sees_their_school_without_the_coordinators_actions(
    client_for, head_a, school_a
):
    page = client_for(head_a).get(reverse("schools:detail", args=[school_a.urn])).content.decode()
    assert "Alpha Primary School" in page
    assert reverse("schools:concern", args=[school_a.urn]) not in page
    assert reverse("schools:invite_contact", args=[school_a.urn]) not in page


def test_coordinator_flags_and_clears_causing_concern(client_for, coordinator, school_a):
    client = client_for(coordinator)
    url = reverse("schools:concern", args=[school_a.urn])
    response = client.post(
        url, {"causing_concern": "yes", "reason": "Ofsted: inadequate", "since": "03/11/2025"}
    )
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.causing_concern, school_a.concern_reason, school_a.concern_since) == (
        True,
        "Ofsted: inadequate",
        datetime.date(2025, 11, 3),
    )
    page = client.get(response["Location"]).content.decode()
    assert "Alpha Primary School is marked as causing concern" in page
    assert "Ofsted: inadequate" in page

    client.post(url, {"causing_concern": "no", "reason": "", "since": ""})
    school_a.refresh_from_db()
    assert (school_a.causing_concern, school_a.concern_reason, school_a.concern_since) == (
        False,
        "",
        None,
    )


@pytest.mark.parametrize(
    "data, errors",
    [
        (
            {"causing_concern": "yes", "reason": "", "since": ""},
            {
                "reason": ["Enter why the school is causing concern"],
                "since": ["Enter the date the school began causing concern"],
            },
        ),
        (
            {"causing_concern": "yes", "reason": "Ofsted", "since": "31/02/2025"},
            {"since": ["Enter a valid date."]},
        ),
        (
            {"causing_concern": "yes", "reason": "Ofsted", "since": "01/01/2999"},
            {"since": ["The date the school began causing concern must be today or in the past"]},
        ),
        (
            {"reason": "Ofsted"},
            {"causing_concern": ["Select yes if the school is causing concern"]},
        ),
    ],
)
def test_causing_concern_form_errors_change_nothing(
    client_for, coordinator, school_a, data, errors
):
    response = client_for(coordinator).post(reverse("schools:concern", args=[school_a.urn]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert "There is a problem" in response.content.decode()
    school_a.refresh_from_db()
    assert school_a.causing_concern is False


def test_coordinator_invites_a_school_user(
    client_for, coordinator, school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("schools:invite_contact", args=[school_a.urn]),
            {
                "first_name": "Sam",
                "last_name": "Bursar",
                "email": "Sam.Bursar@Alpha.sch.uk",
                "role": "business_manager",
                "duties": ["finance", "cpd"],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="sam.bursar@alpha.sch.uk")
    assert (user.role, user.job_title) == (Role.HEADTEACHER, "School business manager")
    contact = SchoolContact.objects.get(user=user)
    assert (contact.school, contact.role, contact.is_finance_contact, contact.is_cpd_lead) == (
        school_a,
        SchoolContact.Role.BUSINESS_MANAGER,
        True,
        True,
    )
    assert [m.to for m in mail.outbox] == [["sam.bursar@alpha.sch.uk"]]


def test_inviting_an_existing_email_is_a_clear_error(client_for, coordinator, school_a, head_b):
    response = client_for(coordinator).post(
        reverse("schools:invite_contact", args=[school_a.urn]),
        {
            "first_name": "Bob",
            "last_name": "B",
            "email": "HEAD.B@beta.sch.uk",
            "role": "headteacher",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Someone with this email address already has an account"]
    }
    assert not SchoolContact.objects.filter(school=school_a, user=head_b).exists()
