"""The LA commissions any offer for any school, at the offer's LA price; the monthly run
invoices the LA, and the income is LA commissioning on the trading account."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from finance.documents import email_invoices
from finance.models import Invoice, LedgerEntry
from finance.selectors import trading_account
from finance.services import run_monthly_bookings
from offers.models import Offer
from offers.services_bookings import commission, mark_delivered
from partnership.partnership_file import load_text
from tests.factories import SchoolFactory, school_user
from tests.partnership.api_world import token_client

D = Decimal
pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)

FILE = """
format: 1
partnership:
  name: Haringey Education Partnership
  local_authority: {{code: 309, name: Haringey}}
  legal_form: {legal_form}
year:
  academic_year: 2026/27
  census_date: 2026-01-15
providers:
  - {{code: la, name: Haringey Council School Standards}}
offers:
  - code: commissioned-support
    name: LA-commissioned support
    strand: core
    provider: la
    unit: day
    price: {{member: "0", la: {{primary: "550", secondary: "650.50"}}}}
    unit_cost: "550"
  - code: nqt-induction
    name: NQT induction programme
    strand: additional
    provider: la
    unit: place
    price: {{member: "333.33"}}
income:
  - {{code: la-commissioning, name: LA commissioning, amount: "10000"}}
"""


@pytest.fixture
def commissioned(coordinator):
    """Delivered in October 2026: 1.5 days of support for an academy causing concern (the LA
    price for a secondary, £650.50) and 3 NQT induction places for a maintained primary not
    causing concern (no LA price: the member price, £333.33)."""

    def make(legal_form):
        load_text(FILE.format(legal_form=legal_form))
        academy = SchoolFactory(
            name="Oak Academy",
            governance="academy",
            category="secondary",
            phase="Secondary",
            causing_concern=True,
        )
        primary = SchoolFactory(name="Community Primary", governance="community")
        support = commission(
            school=academy,
            offer=Offer.objects.get(code="commissioned-support"),
            units=D("1.5"),
            budget=D("1000"),
            by=coordinator,
            reason="Ofsted: requires improvement",
            academic_year="2026/27",
        )
        induction = commission(
            school=primary,
            offer=Offer.objects.get(code="nqt-induction"),
            units=D("3"),
            budget=D("1000"),
            by=coordinator,
            reason="NQT induction",
            academic_year="2026/27",
        )
        for package in (support, induction):
            mark_delivered(work=package, by=coordinator, on=datetime.date(2026, 10, 9))
        return academy, primary

    return make


def run():
    return run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))


def test_the_packages_are_priced_at_the_la_price_or_else_the_member_price(commissioned):
    academy, primary = commissioned("company")
    prices = {p.school: (p.unit_price, p.reason) for p in academy.commissioned_packages.all()}
    prices |= {p.school: (p.unit_price, p.reason) for p in primary.commissioned_packages.all()}
    assert prices == {
        academy: (D("650.50"), "Ofsted: requires improvement"),
        primary: (D("333.33"), "NQT induction"),
    }


@pytest.mark.parametrize(
    "legal_form, billing",
    [("la_trading_account", "internal_recharge"), ("company", "external_invoice")],
)
def test_the_monthly_run_invoices_the_la_to_the_penny(commissioned, legal_form, billing):
    academy, primary = commissioned(legal_form)
    [invoice] = run()
    assert (invoice.school, invoice.bill_to, invoice.billing) == (None, "Haringey Council", billing)
    assert [(line.quantity, line.unit_price, line.net) for line in invoice.lines.all()] == [
        (D("1.50"), D("650.50"), D("975.75")),
        (D("3.00"), D("333.33"), D("999.99")),
    ]
    assert (invoice.net_total, invoice.gross_total) == (D("1975.74"), D("1975.74"))
    # LA income, recorded against the school each package was for.
    entries = LedgerEntry.objects.filter(invoice_line__invoice=invoice).order_by("amount")
    assert [(e.amount, e.income_account, e.school, e.budget_line.code) for e in entries] == [
        (D("975.75"), "commissioned", academy, "la-commissioning"),
        (D("999.99"), "commissioned", primary, "la-commissioning"),
    ]
    assert run() == []  # billed once


def test_the_trading_account_shows_it_as_la_income(commissioned):
    commissioned("la_trading_account")
    run()
    account = trading_account("2026-27", today=datetime.date(2026, 11, 30))
    [row] = [row for row in account.income if row.code == "la-commissioning"]
    assert (row.label, row.actual) == ("LA commissioning", D("1975.74"))


def test_support_recorded_as_ledger_income_before_is_not_invoiced_again(commissioned):
    academy, _ = commissioned("company")
    package = academy.commissioned_packages.get()
    LedgerEntry.objects.create(
        side="income",
        entry_type="la_commissioned",
        entry_date=datetime.date(2026, 10, 9),
        amount=D("975.75"),
        description="LA-commissioned (recorded before LA invoices)",
        source_key=f"package:{package.pk}",
        school=academy,
    )
    [invoice] = run()
    assert [line.net for line in invoice.lines.all()] == [D("999.99")]


def test_the_la_invoice_is_finances_and_no_schools(client_for, commissioned, finance_officer):
    academy, _ = commissioned("company")
    [invoice] = run()
    head = school_user(academy, email="head@oak.sch.uk")
    client = client_for(head)
    assert invoice.number not in client.get(reverse("finance:invoices")).content.decode()
    assert client.get(reverse("finance:invoice", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("finance:invoice_pdf", args=[invoice.pk])).status_code == 404
    assert invoice.number not in client.get(reverse("dashboard")).content.decode()
    api = token_client(head).get("/api/v1/invoices/").json()
    assert invoice.number not in [row["number"] for row in api["results"]]

    finance = client_for(finance_officer)
    listed = finance.get(reverse("finance:invoices")).content.decode()
    assert invoice.number in listed and "Haringey Council" in listed
    assert finance.get(reverse("finance:invoice_pdf", args=[invoice.pk])).status_code == 200
    [row] = token_client(finance_officer).get("/api/v1/invoices/").json()["results"]
    assert (row["number"], row["school_urn"], row["bill_to"]) == (
        invoice.number,
        None,
        "Haringey Council",
    )
    # No school's contacts are sent the LA's invoice.
    assert email_invoices([invoice.pk]) == 0
    assert mail.outbox == []
    assert Invoice.objects.count() == 1
