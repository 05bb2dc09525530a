from partnership.navigation import NavItem, Panel
from partnership.roles import Role

from . import selectors
from .permissions import ALL_SCHOOLS_ROLES, own_school


def items(user):
    if user.role in ALL_SCHOOLS_ROLES:
        return [NavItem("Schools", "schools:list", order=10)]
    if user.role == Role.HEADTEACHER:
        school = own_school(user)
        if school is not None:
            return [NavItem("Your school", "schools:detail", order=10, args=(school.urn,))]
    return []


def panels(user):
    if user.role == Role.COORDINATOR:
        return [
            # People waiting for an account come first: they are waiting on the coordinator.
            Panel(
                "schools/panels/access_requests.html",
                {"pending": selectors.pending_access_request_count()},
                order=5,
            ),
            Panel(
                "schools/panels/coordinator.html", {"counts": selectors.register_counts()}, order=10
            ),
        ]
    if user.role == Role.HEADTEACHER:
        school = selectors.headteacher_school(user)
        if school is not None:
            return [Panel("schools/panels/headteacher.html", {"school": school}, order=10)]
    return []
