"""A small world for the API tests: two schools, each with a membership and an invoice,
a budget line, and one signed-in person of every role with an API token."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from finance.models import BudgetLine, InvoiceLine
from finance.services import ChargeLine, issue_invoice
from membership.models import Membership
from membership.services import load_membership_year
from partnership.api.tokens import create_token
from partnership.roles import Role
from tests.factories import budget_line


def membership_line(school, amount):
    return ChargeLine(
        description="Core membership 2026/27",
        quantity=Decimal("1"),
        unit_price=Decimal(amount),
        source=f"membership:{school.pk}",
        income_account=InvoiceLine.IncomeAccount.MEMBERSHIP,
        recognise_from=datetime.date(2026, 9, 1),
        recognise_to=datetime.date(2027, 8, 31),
    )


@pytest.fixture
def world(
    partnership_record,
    school_a,
    school_b,
    head_a,
    head_b,
    coordinator,
    finance_officer,
    board_member,
    practitioner_user,
):
    year, _ = load_membership_year(academic_year="2026/27", census_date=datetime.date(2026, 1, 15))
    for school, fee in ((school_a, "840.00"), (school_b, "420.00")):
        Membership.objects.create(
            school=school,
            year=year,
            status=Membership.Status.ACTIVE,
            fee_amount=Decimal(fee),
            fee_basis="Pupils × £2.00",
            signed_at=timezone.now(),
        )
    invoice_a = issue_invoice(
        school=school_a,
        lines=[membership_line(school_a, "840.00")],
        issue_date=datetime.date(2026, 9, 1),
    )
    invoice_b = issue_invoice(
        school=school_b,
        lines=[membership_line(school_b, "420.00")],
        issue_date=datetime.date(2026, 9, 1),
    )
    budget_line(
        code="advisers",
        name="Adviser days",
        kind=BudgetLine.Kind.CORE,
        amount=Decimal("1200.00"),
    )
    people = {
        Role.HEADTEACHER: head_a,
        Role.COORDINATOR: coordinator,
        Role.FINANCE: finance_officer,
        Role.BOARD: board_member,
        Role.PRACTITIONER: practitioner_user,
    }
    return {
        "schools": (school_a, school_b),
        "invoices": (invoice_a, invoice_b),
        "people": people,
        "other_head": head_b,
    }


def token_client(user):
    """A client that sends this person's new API token, as a reporting system would."""
    _, token = create_token(user=user, name="Test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
