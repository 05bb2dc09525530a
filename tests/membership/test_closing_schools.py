"""Schools closed or closing in GIAS that still have memberships or bookings open are
listed for the coordinator, with what is open and the academy a converted school became;
a school's record links the school it replaced and the schools that replaced it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from membership import services
from membership.models import Membership
from tests.factories import SchoolFactory, UserFactory
from tests.offers.booking_factories import cpd_course, cpd_session  # noqa: F401

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


def sign(school, tiers, year):
    return services.sign_agreement(
        school=school, year=year, tier=tiers["core"], by=None, on=BEFORE_YEAR
    )


def closing(name, **fields):
    defaults = {
        "status": "closed",
        "gias_status": "Closed",
        "closed_on": datetime.date(2026, 12, 31),
    }
    return SchoolFactory(name=name, governance="community", pupils=200, **{**defaults, **fields})


def book(school, session):
    from offers import services_bookings

    return services_bookings.book_places(
        school=school, session=session, delegates=["A Delegate"], by=UserFactory()
    )


def page(client):
    response = client.get("/membership/closing-schools/")
    assert response.status_code == 200
    return response.content.decode()


def test_closed_schools_with_open_work_are_listed_with_what_is_open(
    client_for,
    coordinator,
    tiers,
    membership_year,
    cpd_session,  # noqa: F811
):
    elm = closing("Elm Primary")
    sign(elm, tiers, membership_year)
    academy = SchoolFactory(
        name="Elm Academy",
        governance="academy",
        type_group="Academies",
        predecessor=elm,
        opened_on=datetime.date(2027, 1, 1),
    )
    ash = closing(
        "Ash Infants", status="open", gias_status="Open, but proposed to close", closed_on=None
    )
    book(ash, cpd_session)
    # Closed with nothing open, and open with work open: neither is listed.
    closing("Birch Juniors")
    sign(SchoolFactory(name="Open Primary", pupils=200), tiers, membership_year)
    withdrawn = closing("Cedar Primary")
    membership = sign(withdrawn, tiers, membership_year)
    membership.status = Membership.Status.WITHDRAWN
    membership.save()

    body = page(client_for(coordinator))
    assert "Elm Primary" in body and "Ash Infants" in body
    for not_listed in ("Birch Juniors", "Open Primary", "Cedar Primary"):
        assert not_listed not in body
    assert "2026/27 Core membership</a>: awaiting approval" in body
    assert f'href="/schools/{academy.urn}/">Elm Academy</a>, an academy, on 1 January 2027' in body
    assert "Open, but proposed to close" in body
    assert "Phonics leadership CPD on 3 February 2027</a>: confirmed" in body or (
        "Phonics leadership CPD on 3 February 2027</a>: requested" in body
    )


def test_the_list_s_queries_do_not_grow_with_schools(
    client_for,
    coordinator,
    tiers,
    membership_year,
    cpd_session,  # noqa: F811
):
    client = client_for(coordinator)
    sign(closing("First Closed"), tiers, membership_year)
    with CaptureQueriesContext(connection) as few:
        page(client)
    for n in range(6):
        school = closing(f"Closed {n}")
        sign(school, tiers, membership_year)
        SchoolFactory(name=f"Academy {n}", governance="academy", predecessor=school)
    cpd_session.places = 20
    cpd_session.save()
    for n in range(3):
        book(closing(f"Booked {n}"), cpd_session)
    with CaptureQueriesContext(connection) as many:
        body = page(client)
    assert body.count('class="govuk-summary-list"') == 10
    assert len(many) == len(few)


def test_a_school_record_links_what_it_replaced_and_what_replaced_it(
    client_for, coordinator, school_a
):
    from tests.factories import school_user

    academy = SchoolFactory(
        name="New Academy",
        governance="academy",
        predecessor=school_a,
        opened_on=datetime.date(2027, 1, 1),
    )
    body = client_for(coordinator).get(f"/schools/{school_a.urn}/").content.decode()
    assert f'<a class="govuk-link" href="/schools/{academy.urn}/">New Academy</a>' in body
    assert "from 1 January 2027" in body
    body = client_for(coordinator).get(f"/schools/{academy.urn}/").content.decode()
    assert f'href="/schools/{school_a.urn}/">{school_a.name}</a>' in body
    assert "the maintained school that converted to this academy" in body
    # The academy's headteacher sees the school it replaced named, not linked (not theirs).
    head = school_user(academy)
    body = client_for(head).get(f"/schools/{academy.urn}/").content.decode()
    assert school_a.name in body and f'href="/schools/{school_a.urn}/"' not in body
