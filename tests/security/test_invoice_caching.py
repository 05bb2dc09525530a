"""Invoices and credit notes are a school's money: no browser history, shared computer or
proxy keeps a copy (issue 13, finding 11). Every page and PDF says Cache-Control: private,
no-store."""

import datetime
from decimal import Decimal

import pytest

from finance.services import issue_credit_note, issue_invoice
from tests.finance.conftest import membership_charge

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice_and_credit_note(partnership_record, school_a):
    invoice = issue_invoice(
        school=school_a,
        lines=[membership_charge(f"membership:{school_a.pk}", "1200.00")],
        issue_date=datetime.date(2026, 9, 1),
    )
    note = issue_credit_note(
        invoice=invoice,
        amounts={invoice.lines.first().pk: Decimal("100.00")},
        reason="Joined late",
        issue_date=datetime.date(2026, 10, 1),
    )
    return invoice, note


def kept_by_nobody(response):
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_school_sees_its_invoices_and_credit_notes_kept_by_nobody(
    client_for, head_a, invoice_and_credit_note
):
    invoice, note = invoice_and_credit_note
    client = client_for(head_a)
    for url in (
        "/finance/invoices/",
        "/finance/invoices/?_export=csv",
        f"/finance/invoices/{invoice.pk}/",
        f"/finance/invoices/{invoice.pk}/pdf/",
        f"/finance/credit-notes/{note.pk}/pdf/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert kept_by_nobody(response), (url, response.headers.get("Cache-Control"))


def test_finance_forms_on_an_invoice_are_kept_by_nobody(
    client_for, finance_officer, invoice_and_credit_note
):
    invoice, _ = invoice_and_credit_note
    client = client_for(finance_officer)
    for url in (
        f"/finance/invoices/{invoice.pk}/payment/",
        f"/finance/invoices/{invoice.pk}/credit-note/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert kept_by_nobody(response), (url, response.headers.get("Cache-Control"))
