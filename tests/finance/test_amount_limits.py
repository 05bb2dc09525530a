"""Amounts bigger than a money column holds (models.MONEY) are refused by name, in the form
and in the service, instead of reaching the database and answering a server error."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finance import rules, services
from finance.models import MONEY, CreditNote, LedgerEntry, Payment

from .conftest import booking_charge

pytestmark = pytest.mark.django_db
HUGE = str(10**15)
TODAY = timezone.localdate()


@pytest.fixture
def finance(client_for, finance_officer):
    client = client_for(finance_officer)
    client.raise_request_exception = False  # a crash answers 500 here, as it would live
    return client


def test_the_largest_amount_is_what_the_money_columns_hold():
    places = MONEY["decimal_places"]
    assert rules.LARGEST_AMOUNT == Decimal(10) ** (MONEY["max_digits"] - places) - Decimal(10) ** (
        -places
    )
    assert rules.amount_problem(rules.LARGEST_AMOUNT, "Amount") == ""
    assert rules.amount_problem(rules.LARGEST_AMOUNT + Decimal("0.01"), "Amount") == (
        "Amount must be £9,999,999,999.99 or less"
    )


def test_a_payment_of_a_quadrillion_is_a_form_error_on_the_amount(finance, issue, school_a):
    invoice = issue(school_a, issue_date=TODAY)
    response = finance.post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {"amount": HUGE, "received_on": TODAY.isoformat(), "method": "bacs"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Amount received must be £9,999,999,999.99 or less"
    ]
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", [HUGE, f"-{HUGE}"])
def test_a_journal_of_a_quadrillion_is_a_form_error_on_the_amount(finance, amount):
    response = finance.post(
        reverse("finance:journal"),
        {
            "side": "income",
            "entry_date": TODAY.isoformat(),
            "amount": amount,
            "description": "Grant",
            "reason": "Letter from the DfE",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Amount must be between -£9,999,999,999.99 and £9,999,999,999.99"
    ]
    assert not LedgerEntry.objects.exists()


def test_a_credit_of_a_quadrillion_is_a_form_error_on_its_line(finance, issue, school_a):
    invoice = issue(school_a, issue_date=TODAY)
    line = invoice.lines.get()
    response = finance.post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {"reason": "Fee corrected", "issue_date": TODAY.isoformat(), f"line_{line.pk}": HUGE},
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors[f"line_{line.pk}"]
    assert error.endswith("net amount to credit must be £9,999,999,999.99 or less")
    assert not CreditNote.objects.exists()


def test_the_services_refuse_a_quadrillion_whoever_calls_them(partnership_record, school_a):
    with pytest.raises(services.FinanceError, match="^The amount must be between"):
        services.record_journal(
            side="income", amount=HUGE, entry_date=TODAY, description="x", reason="y"
        )
    with pytest.raises(services.FinanceError, match="^The invoice's total must be"):
        services.issue_invoice(
            school=school_a, lines=[booking_charge("b:1", "1000", HUGE)], issue_date=TODAY
        )
    assert not LedgerEntry.objects.exists()
