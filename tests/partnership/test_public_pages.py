"""The pages anyone may read without signing in: what they show, and who may keep them.

An anonymous response is `Cache-Control: public, max-age=...` (browsers and a school's
proxy may keep it a few minutes); the same page for someone signed in, or carrying a
message for one visitor, is `private, no-cache`. Nothing on them is a signed-in person's.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from finance import services as finance_services
from finance.models import InvoiceLine
from membership import services as membership_services
from offers import services_bookings as booking_services
from partnership.models import Partnership
from tests.factories import SchoolFactory, school_user
from tests.offers.booking_factories import make_offer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PUBLIC_URLS = [
    "/",
    "/offer/",
    "/offer/?strand=additional&category=secondary",
    "/offer/peer-review/",
    "/fees/",
    "/fees/?q=primary",
    "/fees/?q=UB8",
    "/fees/?urn=100001",
    "/join/",
    "/contact/",
    "/accessibility/",
    "/privacy/",
]


@pytest.fixture
def world(partnership_record, coordinator, finance_officer):
    """Alpha (URN 100001) is a member with a booking and an invoice; Beta is not a member."""
    partnership_record.contact_email = "partnership@example.org"
    partnership_record.contact_telephone = "020 7946 0321"
    partnership_record.save()
    alpha = SchoolFactory(name="Alpha Primary School", urn="100001", pupils=420)
    SchoolFactory(name="Beta Primary School", urn="100002", pupils=210, postcode="UB8 3PJ")
    head = school_user(alpha, email="head.a@alpha.sch.uk", first_name="Ann", last_name="Ashby")
    year, _ = membership_services.load_membership_year(
        academic_year="2026/27", census_date=datetime.date(2026, 1, 15)
    )
    peer_review = make_offer(
        "peer-review",
        name="Peer review",
        member={"primary": "1000", "secondary": "1600"},
        non_member={"primary": "1200", "secondary": "1900"},
    )
    make_offer("health-check", name="Health check visit", unit="visit", strand="core")
    tier, _ = membership_services.load_tier(
        code="standard-tier-code",
        name="Standard membership",
        includes=[{"offer": "peer-review", "units": Decimal("1")}],
    )
    membership_services.load_fee_scheme(tier=tier, year=year, kind="per_pupil", rate=Decimal("19"))
    membership = membership_services.sign_agreement(
        school=alpha, year=year, tier=tier, purchase_order="PO-MEMBERSHIP-4471", by=head
    )
    membership_services.approve(membership=membership, by=coordinator)
    booking_services.book(
        school=alpha,
        offer=peer_review,
        units=Decimal("1"),
        by=head,
        academic_year="2026/27",
        purchase_order="PO-BOOKING-8812",
        notes="Our Ofsted window opens in March",
    )
    invoice = finance_services.issue_invoice(
        school=alpha,
        lines=[
            finance_services.ChargeLine(
                description="Peer review for Alpha",
                quantity=Decimal("1"),
                unit_price=Decimal("1000"),
                source="test:public-pages",
                income_account=InvoiceLine.IncomeAccount.SALES,
                recognise_from=TODAY,
                recognise_to=TODAY,
            )
        ],
        issue_date=TODAY,
        issued_by=finance_officer,
    )
    return {"head": head, "invoice": invoice}


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_anyone_reads_the_page_and_it_holds_no_signed_in_data(world, url):
    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    secrets = (
        world["invoice"].number,
        "Peer review for Alpha",
        "head.a@alpha.sch.uk",
        "Ashby",
        "PO-MEMBERSHIP-4471",
        "PO-BOOKING-8812",
        "Our Ofsted window opens in March",
        "Sign out",
        "is a member for",
    )
    assert [secret for secret in secrets if secret in page] == []
    # No internal codes: the tier's code is the partnership file's business.
    assert "standard-tier-code" not in page


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_an_anonymous_response_may_be_kept_by_browsers_and_shared_caches(world, url, settings):
    settings.PUBLIC_PAGE_MAX_AGE = 240
    response = Client().get(url)
    assert directives(response) == {"public", "max-age=240"}
    assert "Cookie" in response["Vary"]
    assert not response.cookies


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_the_same_page_for_someone_signed_in_is_never_kept_by_a_shared_cache(world, url):
    response = signed_in(world["head"]).get(url)
    assert response.status_code in (200, 302)  # the home page takes them to their dashboard
    assert "public" not in directives(response)
    assert {"private", "no-cache"} <= directives(response)


def test_a_page_showing_a_visitors_message_is_theirs_alone(world):
    client = signed_in(world["head"])
    client.post("/accounts/logout/")
    response = client.get("/")
    assert "You have signed out." in response.content.decode()
    assert "public" not in directives(response)
    assert {"private", "no-cache"} <= directives(response)
    # Once shown, the message is gone and the page is everyone's again (for a browser, which
    # drops the cookies the response expired; the test client would send them back).
    for name in [name for name, cookie in client.cookies.items() if not cookie.value]:
        del client.cookies[name]
    assert directives(client.get("/")) == {"public", "max-age=300"}


def test_pages_that_are_not_public_are_left_as_they_were(world):
    assert signed_in(world["head"]).get("/dashboard/").get("Cache-Control") is None
    assert Client().get("/accounts/login/")["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_the_home_page_shows_the_offer_the_memberships_and_how_to_join(world):
    page = " ".join(Client().get("/").content.decode().split())
    assert "The core offer: Health check visit." in page
    assert "The additional offer: 1 kind of support your school books when it needs it" in page
    assert "Standard membership" in page and "Includes: Peer review, 1 review." in page
    assert 'href="/fees/"' in page and "Find your school's fee" in page
    assert "How to join" in page and 'href="/join/"' in page
    assert 'href="/accounts/login/"' in page and ">Sign in<" in page


@pytest.mark.parametrize("who", [None, "head"])
def test_every_page_has_contact_accessibility_and_privacy_in_its_footer(world, who):
    client = signed_in(world[who]) if who else Client()
    urls = ["/fees/", "/privacy/", "/offer/peer-review/", "/membership/"]
    urls.append("/dashboard/" if who else "/accounts/login/")
    for url in urls:
        page = client.get(url, follow=True).content.decode()
        footer = page[page.index('<footer class="govuk-footer">') :]
        for link in (
            '<a class="govuk-footer__link" href="/contact/">Contact</a>',
            '<a class="govuk-footer__link" href="/accessibility/">Accessibility statement</a>',
            '<a class="govuk-footer__link" href="/privacy/">Privacy notice</a>',
        ):
            assert link in footer, (url, link)


def test_the_contact_page_gives_the_partnerships_details_or_says_there_are_none(world):
    page = Client().get("/contact/").content.decode()
    assert 'href="mailto:partnership@example.org"' in page
    assert "020 7946 0321" in page
    Partnership.objects.update(contact_email="", contact_telephone="")
    page = Client().get("/contact/").content.decode()
    assert "has not published its contact details here yet" in page
    assert "Contact the school improvement team at Hillingdon Council." in page


def test_the_accessibility_statement_says_how_to_report_a_problem_and_when_it_was_written(world):
    page = " ".join(Client().get("/accessibility/").content.decode().split())
    assert "partially compliant with the" in page
    assert "Equality Advisory and Support Service" in page
    assert 'href="mailto:partnership@example.org"' in page
    assert "This statement was prepared on 2 December 2026." in page


def test_the_sign_in_page_does_not_send_anyone_to_the_closed_sign_up_page(world):
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in page
    assert "sign up" not in page.lower()
    assert 'href="/join/"' in page and 'href="/contact/"' in page
    # Someone who types the sign-up address is told how accounts are given.
    closed = " ".join(Client().get("/accounts/signup/").content.decode().split())
    assert "Accounts are by invitation" in closed and 'href="/join/"' in closed
