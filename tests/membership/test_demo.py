import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from membership import demo
from membership.models import Membership
from partnership.demo import build_people
from partnership.roles import Role
from schools.models import School, SchoolContact

pytestmark = pytest.mark.django_db


def test_demo_memberships_leave_the_demo_headteachers_school_free_and_run_twice_safely():
    examples = Path(settings.BASE_DIR) / "examples"
    call_command(
        "import_gias",
        str(examples / "gias-demo.csv"),
        "--census-date",
        "2026-01-15",
        stdout=io.StringIO(),
    )
    call_command("load_partnership", str(examples / "demo-partnership.yaml"), stdout=io.StringIO())
    people = build_people()
    head_school = School.objects.get(urn="102401")
    SchoolContact.objects.get_or_create(school=head_school, user=people[Role.HEADTEACHER])
    demo.build({"people": people})
    demo.build({"people": people})
    statuses = sorted(Membership.objects.values_list("status", flat=True))
    assert statuses == ["active"] * 8 + ["interested"] * 3 + ["pending"]
    assert not Membership.objects.filter(school=head_school).exists()
    active = Membership.objects.filter(status="active")
    assert all(m.fee_amount is not None and m.fee_basis for m in active)
    assert {m.decided_by for m in active} == {people[Role.COORDINATOR]}
