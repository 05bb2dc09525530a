"""The admin shows history but never rewrites it, and leaves signed and issued records alone
(issue 13, finding 7). Every request is made by a superuser through the admin's own pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.forms import model_to_dict
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from finance.models import BudgetLine, Invoice
from finance.services import issue_invoice
from membership import services as membership_services
from membership.models import Membership
from partnership.history_admin import HistoryAdmin
from partnership.roles import Role
from tests.factories import UserFactory
from tests.finance.conftest import membership_charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client_for, partnership_record):
    return client_for(UserFactory(role=Role.COORDINATOR, is_staff=True, is_superuser=True))


@pytest.fixture
def membership_year(db):
    year, _ = membership_services.load_membership_year(
        academic_year="2026/27", census_date=date(2026, 1, 15)
    )
    return year


def sign(membership):
    """The frozen quote a school signs (the services do this; only its outcome matters here)."""
    membership.status = Membership.Status.PENDING
    membership.fee_amount = Decimal("7980.00")
    membership.fee_basis = "420 pupils at £19.00"
    membership.fee_pupils = 420
    membership.signed_at = timezone.now()
    membership.save()
    return membership


@pytest.fixture
def signed_membership(school_a, membership_year):
    membership = Membership.objects.create(school=school_a, year=membership_year)
    return sign(membership)


@pytest.fixture
def unsigned_membership(school_b, membership_year):
    return Membership.objects.create(school=school_b, year=membership_year)


def change_form(membership, **changes):
    data = {
        "school": membership.school_id,
        "year": membership.year_id,
        "tier": membership.tier_id or "",
        "status": membership.status,
        "purchase_order": membership.purchase_order,
        "decline_reason": membership.decline_reason,
        "renewal_of": membership.renewal_of_id or "",
    }
    data.update(changes)
    return data


def test_every_admin_with_history_shows_it_read_only():
    with_history = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    }
    assert {"membership.Membership", "schools.School", "offers.Offer"} <= set(with_history)
    assert [
        label
        for label, model_admin in with_history.items()
        if not isinstance(model_admin, HistoryAdmin)
    ] == []


def test_reverting_a_signed_membership_to_before_it_was_signed_is_refused(
    superuser_client, signed_membership
):
    before_signing = signed_membership.history.order_by("history_id").first()
    assert before_signing.signed_at is None
    url = (
        f"/admin/membership/membership/{signed_membership.pk}/history/{before_signing.history_id}/"
    )

    response = superuser_client.post(url, change_form(before_signing.instance))

    signed_membership.refresh_from_db()
    assert signed_membership.fee_amount == Decimal("7980.00")
    assert signed_membership.signed_at is not None
    assert signed_membership.status == Membership.Status.PENDING
    assert response.status_code == 403
    # The old version is still there to read, with nothing offering to bring it back.
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode()


def test_reverting_is_refused_for_any_record_with_history(superuser_client):
    line = BudgetLine.objects.create(
        budget_year="2026/27",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 8, 31),
        code="lle-days",
        name="LLE days",
        kind="core",
        amount="5000",
    )
    line.amount = Decimal("6500.00")
    line.save()
    first = line.history.order_by("history_id").first()
    old_version = {k: "" if v is None else v for k, v in model_to_dict(first.instance).items()}

    response = superuser_client.post(
        f"/admin/finance/budgetline/{line.pk}/history/{first.history_id}/", old_version
    )

    line.refresh_from_db()
    assert line.amount == Decimal("6500.00")
    assert response.status_code == 403


def test_a_signed_membership_is_read_only_in_the_admin(superuser_client, signed_membership):
    url = f"/admin/membership/membership/{signed_membership.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    response = superuser_client.post(
        url, change_form(signed_membership, purchase_order="PO-CHANGED", status="declined")
    )
    assert response.status_code == 403
    signed_membership.refresh_from_db()
    assert signed_membership.purchase_order == ""
    assert signed_membership.status == Membership.Status.PENDING


def test_a_signed_membership_cannot_be_deleted_in_the_admin(superuser_client, signed_membership):
    url = f"/admin/membership/membership/{signed_membership.pk}/delete/"
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403

    # Nor by the list's "delete selected" action.
    superuser_client.post(
        "/admin/membership/membership/",
        {"action": "delete_selected", "_selected_action": [signed_membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=signed_membership.pk).exists()


def test_an_unsigned_membership_can_still_be_corrected_in_the_admin(
    superuser_client, unsigned_membership
):
    response = superuser_client.post(
        f"/admin/membership/membership/{unsigned_membership.pk}/change/",
        change_form(unsigned_membership, purchase_order="PO-123"),
    )
    assert response.status_code == 302
    unsigned_membership.refresh_from_db()
    assert unsigned_membership.purchase_order == "PO-123"


@pytest.mark.parametrize("model", ["invoice", "creditnote", "payment", "ledgerentry"])
def test_financial_records_cannot_be_added_changed_or_deleted_in_the_admin(superuser_client, model):
    assert superuser_client.get(f"/admin/finance/{model}/add/").status_code == 403
    page = superuser_client.get(f"/admin/finance/{model}/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()


def test_an_issued_invoice_is_shown_but_not_changed_or_deleted_in_the_admin(
    superuser_client, school_a
):
    invoice = issue_invoice(
        school=school_a,
        lines=[membership_charge(f"membership:{school_a.pk}", "1200.00")],
        issue_date=date(2026, 9, 1),
    )
    url = f"/admin/finance/invoice/{invoice.pk}/"
    page = superuser_client.get(url + "change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url + "change/", {"number": "X"}).status_code == 403
    assert superuser_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert Invoice.objects.get(pk=invoice.pk).number == invoice.number
