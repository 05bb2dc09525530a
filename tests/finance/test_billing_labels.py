"""Each invoice shows its own billing, and a school is told when a recharge needs no payment."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.factories import SchoolFactory, school_user

from .conftest import membership_charge

pytestmark = pytest.mark.django_db
NOTHING_TO_PAY = "Nothing to pay: recharged internally"


@pytest.fixture
def one_of_each(issue, school_a):
    """A recharge to a maintained school and an external invoice to an academy."""
    academy = SchoolFactory(name="Oak Academy", governance="academy")
    recharge = issue(school_a)
    invoice = issue(academy, lines=[membership_charge("membership:oak", "900")])
    assert (recharge.billing, invoice.billing) == ("internal_recharge", "external_invoice")
    return recharge, invoice


def rows(html):
    """Each table row's text, tags removed."""
    found = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


def row_of(html, number):
    (row,) = [row for row in rows(html) if number in row]
    return row


def test_the_invoice_list_shows_each_invoices_own_billing(client_for, finance_officer, one_of_each):
    recharge, invoice = one_of_each
    html = client_for(finance_officer).get(reverse("finance:invoices")).content.decode()
    assert "Internal recharge" in row_of(html, recharge.number)
    assert "External invoice" not in row_of(html, recharge.number)
    assert "External invoice" in row_of(html, invoice.number)


def test_the_billing_filter_and_the_export_follow_each_invoice(
    client_for, finance_officer, one_of_each
):
    recharge, invoice = one_of_each
    client = client_for(finance_officer)
    url = reverse("finance:invoices")
    recharges = client.get(url, {"billing": "internal_recharge"}).content.decode()
    assert recharge.number in recharges and invoice.number not in recharges
    invoices = client.get(url, {"billing": "external_invoice"}).content.decode()
    assert invoice.number in invoices and recharge.number not in invoices
    exported = client.get(url, {"_export": "csv"}).content.decode()
    by_number = {row["Number"]: row for row in csv.DictReader(io.StringIO(exported))}
    assert by_number[recharge.number]["Billing"] == "Internal recharge"
    assert by_number[invoice.number]["Billing"] == "External invoice"


def test_a_school_with_a_recharge_is_told_it_has_nothing_to_pay(client_for, head_a, one_of_each):
    recharge, _ = one_of_each
    client = client_for(head_a)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert NOTHING_TO_PAY in dashboard
    assert "Invoices to pay" not in dashboard
    assert recharge.number in dashboard
    detail = client.get(reverse("finance:invoice", args=[recharge.pk])).content.decode()
    assert NOTHING_TO_PAY in detail
    assert "£1,200.00</strong>" not in detail  # no balance to pay
    listed = client.get(reverse("finance:invoices")).content.decode()
    assert NOTHING_TO_PAY in row_of(listed, recharge.number)
    # Its balance column agrees with the invoice's page: nothing to pay, not £1,200.00.
    assert "£1,200.00 Nothing to pay" in row_of(listed, recharge.number)


def test_a_school_with_an_external_invoice_is_asked_to_pay_it(client_for, one_of_each):
    _, invoice = one_of_each
    head = school_user(invoice.school, email="head@oak.sch.uk")
    client = client_for(head)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Invoices to pay" in dashboard
    assert NOTHING_TO_PAY not in dashboard
    detail = client.get(reverse("finance:invoice", args=[invoice.pk])).content.decode()
    assert NOTHING_TO_PAY not in detail
    assert "£900.00</strong>" in detail


def test_finance_still_sees_the_balance_of_a_recharge(client_for, finance_officer, one_of_each):
    recharge, _ = one_of_each
    detail = (
        client_for(finance_officer)
        .get(reverse("finance:invoice", args=[recharge.pk]))
        .content.decode()
    )
    assert "£1,200.00</strong>" in detail
    assert NOTHING_TO_PAY not in detail
    listed = client_for(finance_officer).get(reverse("finance:invoices")).content.decode()
    assert "£1,200.00 £1,200.00" in row_of(listed, recharge.number)  # total, balance
