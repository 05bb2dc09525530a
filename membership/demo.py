"""Demo memberships for the current year: active members with frozen quotes, one awaiting
approval, a few interested. The demo headteacher's school is left alone so the demo user
can walk the whole sign-up journey. Idempotent: schools with a membership are skipped."""

from itertools import cycle

from partnership.roles import Role
from schools.models import School, SchoolContact

from . import services
from .models import FeeScheme, Membership
from .selectors import current_year

ACTIVE = 8
PENDING = 1
INTERESTED = 3


def build(context):
    year = current_year()
    if year is None:
        return
    people = context.get("people", {})
    head = people.get(Role.HEADTEACHER)
    coordinator = people.get(Role.COORDINATOR)
    demo_schools = (
        set(SchoolContact.objects.filter(user=head).values_list("school_id", flat=True))
        if head
        else set()
    )
    tiers = cycle(
        [scheme.tier for scheme in FeeScheme.objects.filter(year=year).select_related("tier")]
    )
    taken = set(Membership.objects.filter(year=year).values_list("school_id", flat=True))
    candidates = (
        School.objects.open().exclude(pk__in=demo_schools).exclude(pk__in=taken).order_by("urn")
    )
    plan = ["active"] * ACTIVE + ["pending"] * PENDING + ["interested"] * INTERESTED
    plan = plan[len(taken) :] if len(taken) < len(plan) else []
    schools = iter(candidates)
    for step in plan:
        for school in schools:
            tier = next(tiers)
            if step == "interested":
                services.submit_expression_of_interest(
                    school=school,
                    year=year,
                    intent="yes",
                    preferred_tier=tier,
                    notes="Keen to join once the governors have agreed the budget.",
                    by=None,
                )
                break
            try:
                # Signed as if at the start of the year: a full-year fee.
                membership = services.sign_agreement(
                    school=school,
                    year=year,
                    tier=tier,
                    by=None,
                    on=year.starts_on,
                    purchase_order=f"PO-{school.urn}",
                )
            except services.MembershipError:
                continue  # this school cannot be costed in this tier (e.g. no pupil count)
            if step == "active":
                services.approve(membership=membership, by=coordinator)
            break
