"""Menu items, dashboard panels and the demo link of the register."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from partnership.navigation import dashboard_panels, nav_items
from partnership.roles import Role
from schools import demo
from schools.models import GiasImport, School, SchoolContact
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
DEMO_FILE = Path(__file__).resolve().parents[2] / "examples" / "gias-demo.csv"


def labels(user):
    return {item.label: item.url for item in nav_items(user)}


def test_schools_menu_for_coordinator_and_finance(coordinator, finance_officer):
    assert labels(coordinator)["Schools"] == "/schools/"
    assert labels(finance_officer)["Schools"] == "/schools/"


def test_your_school_menu_for_a_headteacher(head_a, school_a):
    found = labels(head_a)
    assert found["Your school"] == reverse("schools:detail", args=[school_a.urn])
    assert "Schools" not in found


def test_no_register_menu_for_board_and_practitioners(board_member, practitioner_user):
    for user in (board_member, practitioner_user):
        assert not {"Schools", "Your school"} & set(labels(user))


def schools_panels(user):
    return [panel for panel in dashboard_panels(user) if panel.template.startswith("schools/")]


def test_headteacher_panel_summarises_their_school(head_a, school_a):
    (panel,) = schools_panels(head_a)
    school = panel.context["school"]
    assert (school.name, school.urn, school.get_category_display(), school.pupils) == (
        "Alpha Primary School",
        school_a.urn,
        "Primary",
        420,
    )
    assert school.pupils_census_date == datetime.date(2026, 1, 15)


def test_coordinator_panel_counts_the_register(coordinator, school_a, school_b):
    SchoolFactory(status="closed", causing_concern=True)
    requests, register = schools_panels(coordinator)
    assert requests.context == {"pending": 0}
    assert register.context["counts"] == {"total": 3, "open": 2, "causing_concern": 1}


def test_dashboards_render_the_panels(client_for, coordinator, head_a, school_a, school_b):
    page = client_for(coordinator).get("/dashboard/").content.decode()
    assert "?causing_concern=yes" in page
    assert "In the register" in page
    page = client_for(head_a).get("/dashboard/").content.decode()
    assert "420 at the 15 January 2026 census" in page
    assert reverse("schools:detail", args=[school_a.urn]) in page


def test_no_panels_for_board_finance_or_practitioners(
    board_member, finance_officer, practitioner_user
):
    for user in (board_member, finance_officer, practitioner_user):
        assert schools_panels(user) == []


def test_demo_links_the_demo_headteacher_to_an_open_primary_idempotently():
    call_command("import_gias", str(DEMO_FILE), "--census-date", "2026-01-15", stdout=StringIO())
    head = UserFactory(role=Role.HEADTEACHER, job_title="Headteacher")
    coordinator = UserFactory(role=Role.COORDINATOR)
    context = {"people": {Role.HEADTEACHER: head, Role.COORDINATOR: coordinator}}
    demo.build(context)
    demo.build(context)
    # The upload page's history shows one import of the demo file, all of it unchanged.
    (record,) = GiasImport.objects.all()
    assert (record.status, record.imported_by, record.created, record.updated) == (
        "finished",
        coordinator,
        0,
        0,
    )
    assert record.unchanged == School.objects.count()
    (contact,) = SchoolContact.objects.filter(user=head)
    assert (contact.school.name, contact.school.status, contact.school.category) == (
        "Brookfield Primary School",
        "open",
        "primary",
    )
    assert contact.school.pupils_at(datetime.date(2026, 1, 15)).pupils == 412
