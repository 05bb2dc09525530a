from partnership.navigation import NavItem, Panel
from partnership.roles import Role

from .selectors_catalogue import catalogue_counts


def items(user):
    if not user.is_authenticated:
        return []
    found = [NavItem("Offer catalogue", "offers:catalogue", order=20)]
    if user.role == Role.COORDINATOR:
        found.append(NavItem("Manage offer", "offers:manage", order=25))
    return found


def panels(user):
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        return []
    return [Panel("offers/catalogue/panel.html", catalogue_counts(), order=30)]
