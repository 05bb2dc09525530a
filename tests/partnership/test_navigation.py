"""The menu: at most seven sections per role, every page in it opens, and the section it
highlights is the one the breadcrumb starts with."""

from datetime import date
from html.parser import HTMLParser

import pytest

from membership.services import load_membership_year
from partnership.navigation import nav_sections

pytestmark = pytest.mark.django_db

ROLES = ["head_a", "coordinator", "finance_officer", "board_member", "practitioner_user"]


class _Chrome(HTMLParser):
    """The menu's items, the highlighted one, and the breadcrumb's labels of a page."""

    def __init__(self):
        super().__init__()
        self.menu, self.highlighted, self.crumbs = [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "govuk-service-navigation__item" in classes:
            self._in = "menu"
            self.menu.append("")
            if "govuk-service-navigation__item--active" in classes:
                self.highlighted.append(len(self.menu) - 1)
        elif "govuk-breadcrumbs__list-item" in classes:
            self._in = "crumb"
            self.crumbs.append("")

    def handle_endtag(self, tag):
        if tag == "li":
            self._in = None

    def handle_data(self, data):
        if self._in == "menu":
            self.menu[-1] += data.strip()
        elif self._in == "crumb":
            self.crumbs[-1] += data.strip()


def chrome(response):
    parser = _Chrome()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("who", ROLES)
def test_each_role_has_at_most_seven_sections(request, client_for, partnership_record, who):
    response = client_for(request.getfixturevalue(who)).get("/dashboard/")
    page = chrome(response)
    assert 2 <= len(page.menu) <= 7, page.menu
    assert [page.menu[i] for i in page.highlighted] == ["Dashboard"]


def test_the_coordinators_sixteen_pages_fall_into_seven_sections(coordinator, partnership_record):
    sections = nav_sections(coordinator)
    assert [section.label for section in sections] == [
        "Dashboard",
        "Schools",
        "Offer and bookings",
        "Memberships",
        "Finance",
        "Governance",
        "Settings",
    ]
    assert sum(len(section.items) for section in sections) > 16


@pytest.mark.parametrize("who", ROLES)
def test_every_page_in_a_roles_menu_opens_for_that_role(
    request, client_for, partnership_record, who
):
    # The fee schedule is of the current membership year: there has to be one.
    load_membership_year(academic_year="2026/27", census_date=date(2026, 1, 15))
    user = request.getfixturevalue(who)
    client = client_for(user)
    for section in nav_sections(user):
        for item in section.items:
            response = client.get(item.url, follow=True)
            assert response.status_code == 200, (item.label, item.url, response.status_code)


@pytest.mark.parametrize(
    "who, url, section",
    [
        ("head_a", "/offer/courses/", "Offer and bookings"),
        ("head_a", "/governance/vacancies/", "Board minutes"),
        ("head_a", "/membership/schools/{urn}/", "Membership"),
        ("coordinator", "/offer/courses/", "Offer and bookings"),
        ("coordinator", "/offer/bookings/demand/", "Offer and bookings"),
        ("coordinator", "/offer/deployments/calendar/", "Offer and bookings"),
        ("coordinator", "/offer/manage/tiers/add/", "Offer and bookings"),
        ("coordinator", "/membership/renewals/", "Memberships"),
        ("coordinator", "/schools/import/", "Schools"),
        ("coordinator", "/governance/priorities/", "Governance"),
        ("finance_officer", "/finance/bank/", "Finance"),
        ("board_member", "/governance/priorities/", "Governance"),
    ],
)
def test_the_highlighted_section_is_where_the_breadcrumb_starts(
    request, client_for, partnership_record, school_a, who, url, section
):
    response = client_for(request.getfixturevalue(who)).get(url.format(urn=school_a.urn))
    assert response.status_code == 200
    page = chrome(response)
    assert [page.menu[i] for i in page.highlighted] == [section]
    assert page.crumbs and page.crumbs[0] == section, page.crumbs


@pytest.mark.parametrize(
    "who, url, section",
    [
        ("coordinator", "/finance/reports/break-even/", "Finance"),
        ("coordinator", "/reporting-api/tokens/", "Settings"),
        ("finance_officer", "/finance/journal/", "Finance"),
        ("finance_officer", "/reporting-api/", "Settings"),
        ("coordinator", "/people/invite/", "Settings"),
        ("practitioner_user", "/offer/deployments/mine/", "Offer and bookings"),
    ],
)
def test_pages_outside_the_menu_highlight_their_section(
    request, client_for, partnership_record, who, url, section
):
    page = chrome(client_for(request.getfixturevalue(who)).get(url))
    assert [page.menu[i] for i in page.highlighted] == [section]


def test_the_current_sections_pages_are_listed_with_the_current_one_marked(
    client_for, coordinator, partnership_record
):
    html = client_for(coordinator).get("/offer/courses/").content.decode()
    assert 'class="portal-sub-navigation" aria-label="Offer and bookings"' in html
    assert 'href="/offer/courses/" aria-current="page">CPD courses' in html
    assert html.count("aria-current=") == 2  # the section in the menu and the page under it
