from partnership.navigation import NavItem, Panel
from partnership.roles import Role

from .selectors_catalogue import catalogue_counts, day_rates


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


def settings_panels(user):
    """The day rates by designation and the split, on the partnership settings page: the
    coordinator may change them, the finance officer reads them."""
    if not user.is_authenticated or user.role not in (Role.COORDINATOR, Role.FINANCE):
        return []
    context = {"rates": day_rates(), "may_change": user.role == Role.COORDINATOR}
    return [Panel("offers/catalogue/day_rates_panel.html", context, order=10)]
