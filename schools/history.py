"""How schools appear in an audit trail (see partnership.history)."""

from django.urls import reverse

from partnership.history import Audited

from .models import School

SCHOOL = Audited(
    key="school",
    label="School",
    model=School,
    name=lambda school: f"{school.name} ({school.urn})",
    search=("name", "urn"),
    url=lambda school: reverse("schools:detail", args=[school.urn]),
)

AUDITED = (SCHOOL,)
