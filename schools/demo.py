"""Demo records of the register: the demo headteacher acts for a school in the demo GIAS file,
and the coordinator's upload page lists an import of that file."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File

from partnership.roles import Role

from .models import GiasImport, School, SchoolContact

# An open community primary in examples/gias-demo.csv (412 pupils at the 2026 census).
DEMO_SCHOOL_URN = "102401"
DEMO_GIAS_FILE = Path(settings.BASE_DIR) / "examples" / "gias-demo.csv"
DEMO_CENSUS_DATE = datetime.date(2026, 1, 15)


# The demo school's other contacts, none with a portal account: the business manager pays
# its invoices, the deputy head leads its CPD, the chair of governors is kept informed.
DEMO_CONTACTS = (
    ("Sam Okafor", "sbm@demo.school", SchoolContact.Role.BUSINESS_MANAGER, "", True, False),
    (
        "Priti Shah",
        "deputy@demo.school",
        SchoolContact.Role.OTHER,
        "Deputy headteacher",
        False,
        True,
    ),
    ("Margaret Lyle", "chair@demo.school", SchoolContact.Role.CHAIR_OF_GOVERNORS, "", False, False),
)


def build(context):
    head = context["people"][Role.HEADTEACHER]
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    SchoolContact.objects.get_or_create(
        school=school,
        user=head,
        left_on=None,
        defaults={"role": SchoolContact.Role.HEADTEACHER, "position": head.job_title},
    )
    for name, email, role, position, finance, cpd in DEMO_CONTACTS:
        SchoolContact.objects.get_or_create(
            school=school,
            name=name,
            user=None,
            defaults={
                "email": email,
                "role": role,
                "position": position,
                "is_finance_contact": finance,
                "is_cpd_lead": cpd,
            },
        )
    if not GiasImport.objects.exists():
        record_demo_import(context["people"].get(Role.COORDINATOR))


def record_demo_import(coordinator):
    """Import the demo GIAS file again through the upload's own path (stored file, record,
    task run here and now), so the import history has an entry to show."""
    from . import services, tasks

    with DEMO_GIAS_FILE.open("rb") as file:
        record = services.queue_gias_import(
            File(file, name=DEMO_GIAS_FILE.name),
            la_codes=[],
            census_date=DEMO_CENSUS_DATE,
            imported_by=coordinator,
        )
    tasks.import_gias_file.apply(args=[record.pk])
    return record
