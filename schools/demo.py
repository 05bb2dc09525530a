"""Demo records of the register: the demo headteacher acts for a school in the demo GIAS file."""

from partnership.roles import Role

from .models import School, SchoolContact

# An open community primary in examples/gias-demo.csv (412 pupils at the 2026 census).
DEMO_SCHOOL_URN = "102401"


def build(context):
    head = context["people"][Role.HEADTEACHER]
    school = School.objects.get(urn=DEMO_SCHOOL_URN)
    SchoolContact.objects.get_or_create(
        school=school, user=head, defaults={"position": head.job_title or "Headteacher"}
    )
