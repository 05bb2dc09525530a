"""Navigation and dashboard panels, gathered from each app.

Each app may have a `navigation.py` with `items(user) -> list[NavItem]`,
`panels(user) -> list[Panel]` and `school_panels(user, school) -> list[Panel]`; the
partnership app collects them so the base layout, the dashboards and a school's record
never need to know every app.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.urls import reverse

from .roles import Role

APPS = ("schools", "offers", "membership", "finance", "governance")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    args: tuple = ()
    # The top-level section this page sits in; by default the one its URL's app belongs to.
    section: str = ""
    # Pages reached from this one whose URLs do not start with its own (named URLs, no
    # arguments): their pages and those under them highlight this item.
    also: tuple = ()

    @property
    def url(self):
        return reverse(self.url_name, args=self.args)

    @property
    def prefixes(self):
        """The paths this item stands for: its own, then those of the pages in `also`."""
        return (self.url, *(reverse(name) for name in self.also))

    @property
    def section_label(self):
        return self.section or section_of(self.url_name)


@dataclass(frozen=True)
class Section:
    """A top-level menu item: its pages, the first of which the menu links to.

    A section with one page is named after that page ("Invoices", "Your school"), so the
    menu reads as it did for people who see only a few pages.
    """

    name: str
    items: tuple

    @property
    def label(self):
        return self.items[0].label if len(self.items) == 1 else self.name

    @property
    def url(self):
        return self.items[0].url


# Sections in menu order. A page belongs to the section of its URL name, else of its app.
SECTIONS = (
    "Dashboard",
    "Schools",
    "Offer and bookings",
    "Memberships",
    "Finance",
    "Governance",
    "Settings",
)
SECTION_OF_APP = {
    "schools": "Schools",
    "offers": "Offer and bookings",
    "membership": "Memberships",
    "finance": "Finance",
    "governance": "Governance",
}
SECTION_OF_URL_NAME = {
    "dashboard": "Dashboard",
    "people": "Settings",
    "invite_person": "Settings",
    "partnership_settings": "Settings",
    "reporting_api": "Settings",
    "api_tokens": "Settings",
    "api_token_revoke": "Settings",
    "offers:manage_day_rates": "Settings",
}


def section_of(url_name):
    """The section a named URL ("finance:invoice", "people") belongs to, or ""."""
    if url_name in SECTION_OF_URL_NAME:
        return SECTION_OF_URL_NAME[url_name]
    namespace, _, _ = url_name.rpartition(":")
    return SECTION_OF_APP.get(namespace.split(":")[0], "")


@dataclass
class Panel:
    """A block on a dashboard: a template and the context it needs."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def _app_modules():
    for app in APPS:
        module_name = f"{app}.navigation"
        try:
            yield import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise


# What someone not signed in may open: the public pages (partnership/public.py).
PUBLIC_ITEMS = (
    NavItem("What we offer", "offers:catalogue", order=10),
    NavItem("Membership fees", "fees", order=20),
    NavItem("How to join", "join", order=30),
    NavItem("Contact", "contact", order=40),
    NavItem("Sign in", "account_login", order=90),
)


def nav_items(user):
    """Every page this person has in their menu, flat, in menu order."""
    if not user.is_authenticated:
        return list(PUBLIC_ITEMS)
    found = [NavItem("Dashboard", "dashboard", order=0)]
    if user.role == Role.COORDINATOR:
        found.append(NavItem("People", "people", order=90))
    if user.role == Role.FINANCE:
        # Only finance officers (and superusers) invite finance officers.
        found.append(NavItem("Invite a finance officer", "invite_person", order=90))
    if user.role in (Role.COORDINATOR, Role.FINANCE):
        found.append(NavItem("Partnership", "partnership_settings", order=92))
        found.append(NavItem("Reporting API", "reporting_api", order=95))
    for module in _app_modules():
        if hasattr(module, "items"):
            found.extend(module.items(user))
    return sorted(found, key=lambda item: item.order)


def nav_sections(user):
    """This person's menu: their pages grouped into at most seven sections.

    Someone not signed in sees the public pages, each its own section.
    """
    items = nav_items(user)
    if not user.is_authenticated:
        return [Section(item.label, (item,)) for item in items]
    grouped = {}
    for item in items:
        # A page of no known section stands alone rather than disappearing.
        grouped.setdefault(item.section_label or item.label, []).append(item)

    def rank(name):
        return SECTIONS.index(name) if name in SECTIONS else len(SECTIONS)

    return [Section(name, tuple(grouped[name])) for name in sorted(grouped, key=rank)]


def school_record_panels(user, school):
    """The blocks each app adds to a school's record for this person (who may already see
    the school): memberships, bookings and deployments, invoices and balance."""
    found = []
    for module in _app_modules():
        if hasattr(module, "school_panels"):
            found.extend(module.school_panels(user, school))
    return sorted(found, key=lambda panel: panel.order)


def dashboard_panels(user):
    found = []
    for module in _app_modules():
        if hasattr(module, "panels"):
            found.extend(module.panels(user))
    return sorted(found, key=lambda panel: panel.order)


def settings_panels(user):
    """The blocks each app adds to the partnership settings page (the offer's day rates)."""
    found = []
    for module in _app_modules():
        if hasattr(module, "settings_panels"):
            found.extend(module.settings_panels(user))
    return sorted(found, key=lambda panel: panel.order)
