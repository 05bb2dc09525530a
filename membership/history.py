"""How memberships appear in an audit trail (see partnership.history)."""

from django.urls import reverse

from partnership.history import Audited

from .models import Membership

MEMBERSHIP = Audited(
    key="membership",
    label="Membership",
    model=Membership,
    name=lambda membership: f"{membership.school.name} {membership.year}",
    search=("school__name", "school__urn"),
    url=lambda membership: reverse("membership:school", args=[membership.school.urn]),
)

AUDITED = (MEMBERSHIP,)
