import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from finance.models import InvoiceLine
from finance.services import ChargeLine, issue_invoice
from offers.models import Offer
from offers.services_bookings import book, commission, confirm, mark_delivered
from partnership.partnership_file import load_text


def membership_charge(
    source, amount, start=datetime.date(2026, 9, 1), end=datetime.date(2027, 8, 31)
):
    return ChargeLine(
        description="Core membership 2026/27",
        quantity=Decimal("1"),
        unit_price=Decimal(amount),
        source=source,
        income_account=InvoiceLine.IncomeAccount.MEMBERSHIP,
        recognise_from=start,
        recognise_to=end,
    )


def booking_charge(source, quantity, price, on=datetime.date(2026, 10, 5), vat_rate=None):
    return ChargeLine(
        description="Peer review",
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        source=source,
        income_account=InvoiceLine.IncomeAccount.SALES,
        recognise_from=on,
        recognise_to=on,
        vat_rate=vat_rate,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need a password hash, not a strong one: keeps these many small tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def issue(partnership_record):
    """Issue an invoice to a school with these charge lines (default: a £1,200 membership)."""

    def make(school, lines=None, issue_date=datetime.date(2026, 9, 1), **kwargs):
        return issue_invoice(
            school=school,
            lines=lines or [membership_charge(f"membership:{school.pk}", "1200.00")],
            issue_date=issue_date,
            **kwargs,
        )

    return make


@pytest.fixture
def membership_year(db):
    from membership.services import load_membership_year

    year, _ = load_membership_year(academic_year="2026/27", census_date=datetime.date(2026, 1, 15))
    return year


@pytest.fixture
def core_tier(membership_year):
    from membership.services import load_fee_scheme, load_tier

    tier, _ = load_tier(code="core", name="Core membership")
    load_fee_scheme(tier=tier, year=membership_year, kind="per_pupil", rate=Decimal("2.00"))
    return tier


@pytest.fixture
def join(membership_year, core_tier, coordinator):
    """A school's active 2026/27 core membership (£2 a pupil), signed through membership.services.

    Activated on the model, not with membership.services.approve: these tests are about
    finance, and approving would email each school.
    """
    from membership.models import Membership
    from membership.services import sign_agreement

    def make(school, by, on=datetime.date(2026, 7, 1), purchase_order=""):
        membership = sign_agreement(
            school=school,
            year=membership_year,
            tier=core_tier,
            by=by,
            on=on,
            purchase_order=purchase_order,
        )
        membership.status = Membership.Status.ACTIVE
        membership.decided_by = coordinator
        membership.save()
        return membership

    return make


@pytest.fixture
def deliveries(school_a, school_b, head_a, coordinator):
    load_text((Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml").read_text())
    network = Offer.objects.get(code="sle-network")
    visit = Offer.objects.get(code="adviser-visit")
    first = book(
        school=school_a,
        offer=network,
        units=2,
        by=head_a,
        academic_year="2026/27",
        purchase_order="PO-77",
    )
    second = book(school=school_a, offer=visit, units=1, by=head_a, academic_year="2026/27")
    for booking in (first, second):
        booking.refresh_from_db()
        if booking.status == "requested":
            confirm(booking=booking, by=coordinator)
        mark_delivered(work=booking, by=coordinator, on=datetime.date(2026, 10, 6))
    school_b.causing_concern = True
    school_b.save()
    package = commission(
        school=school_b,
        offer=visit,
        units=2,
        budget="1000",
        by=coordinator,
        reason="School causing concern",
        academic_year="2026/27",
    )
    mark_delivered(work=package, by=coordinator, on=datetime.date(2026, 10, 9))
