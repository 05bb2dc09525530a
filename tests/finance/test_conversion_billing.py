"""A maintained school that becomes an academy during its membership year is billed as a
maintained school (internal recharge) until the conversion and the academy (an external
invoice) from it; the two invoices add up to the frozen fee and earn in their own months."""

import datetime
from decimal import Decimal

import pytest

from finance import rules
from finance.models import Invoice, LedgerEntry
from finance.selectors import membership_fees_credited
from finance.services import issue_credit_note, run_annual_membership_invoices
from partnership.partnership_file import load_text
from tests.factories import SchoolFactory, school_user

pytestmark = pytest.mark.django_db

FILE = """
format: 1
partnership:
  name: Hillingdon partnership
  local_authority: {code: 312, name: Hillingdon}
"""
SEPTEMBER, AUGUST = datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)


def test_the_split_follows_the_months_the_fee_is_earned_in():
    # £1,200 for September to August; the academy opens on 1 January: 4 months to 8.
    assert rules.split_at_conversion(
        Decimal("1200"), SEPTEMBER, AUGUST, datetime.date(2027, 1, 1)
    ) == (Decimal("400.00"), Decimal("800.00"))
    # A conversion later in a month bills the academy for that month (an assumption).
    assert rules.split_at_conversion(
        Decimal("1200"), SEPTEMBER, AUGUST, datetime.date(2027, 1, 15)
    ) == (Decimal("400.00"), Decimal("800.00"))
    # Pennies: the parts always add up to the fee.
    before, after = rules.split_at_conversion(
        Decimal("1000"), SEPTEMBER, AUGUST, datetime.date(2026, 12, 1)
    )
    assert (before, after, before + after) == (
        Decimal("250.00"),
        Decimal("750.00"),
        Decimal("1000.00"),
    )
    assert rules.split_at_conversion(Decimal("1200"), SEPTEMBER, AUGUST, SEPTEMBER) == (
        Decimal("0.00"),
        Decimal("1200.00"),
    )
    assert rules.split_at_conversion(
        Decimal("1200"), SEPTEMBER, AUGUST, datetime.date(2027, 9, 1)
    ) == (Decimal("1200.00"), Decimal("0.00"))


@pytest.fixture
def converting(join):
    """Elm Primary (maintained, 300 pupils: £600) converts to Elm Academy on 1 January 2027."""
    load_text(FILE)
    maintained = SchoolFactory(
        name="Elm Primary",
        governance="community",
        pupils=300,
        closed_on=datetime.date(2026, 12, 31),
    )
    membership = join(maintained, school_user(maintained))
    academy = SchoolFactory(
        name="Elm Academy",
        establishment_type="Academy converter",
        type_group="Academies",
        governance="academy",
        predecessor=maintained,
        opened_on=datetime.date(2027, 1, 1),
    )
    return maintained, academy, membership


def run():
    return run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 1)
    )


def test_a_membership_spanning_the_conversion_bills_each_school_for_its_months(converting):
    maintained, academy, membership = converting
    invoices = {invoice.school: invoice for invoice in run()}
    assert set(invoices) == {maintained, academy}
    before, after = invoices[maintained], invoices[academy]
    assert (before.gross_total, before.billing, before.bill_to) == (
        Decimal("200.00"),
        Invoice.Billing.INTERNAL_RECHARGE,
        "Elm Primary",
    )
    assert (after.gross_total, after.billing, after.bill_to) == (
        Decimal("400.00"),
        Invoice.Billing.EXTERNAL_INVOICE,
        "Elm Academy",
    )
    assert after.lines.get().description.endswith(
        ", 1 January 2027 to 31 August 2027 (converted to Elm Academy on 1 January 2027)"
    )
    # The maintained school earns September to December, the academy January to August.
    months = {
        school: sorted(
            LedgerEntry.objects.filter(invoice_line__invoice=invoice).values_list(
                "entry_date", flat=True
            )
        )
        for school, invoice in invoices.items()
    }
    assert [(d.year, d.month) for d in (months[maintained][0], months[maintained][-1])] == [
        (2026, 9),
        (2026, 12),
    ]
    assert [(d.year, d.month) for d in (months[academy][0], months[academy][-1])] == [
        (2027, 1),
        (2027, 8),
    ]
    # A second run bills nothing twice.
    assert run() == []


def test_a_school_converted_before_the_year_is_billed_as_the_academy_for_all_of_it(converting):
    maintained, academy, membership = converting
    academy.opened_on = datetime.date(2026, 8, 1)
    academy.save()
    (invoice,) = run()
    assert (invoice.school, invoice.gross_total, invoice.billing) == (
        academy,
        Decimal("600.00"),
        Invoice.Billing.EXTERNAL_INVOICE,
    )
    assert invoice.lines.get().source == f"membership:{membership.pk}"


def test_a_school_without_a_successor_is_billed_as_before(join):
    load_text(FILE)
    school = SchoolFactory(name="Ash Primary", governance="community", pupils=300)
    join(school, school_user(school))
    (invoice,) = run()
    assert (invoice.school, invoice.gross_total) == (school, Decimal("600.00"))


def test_credits_on_the_academy_s_part_count_as_membership_fees_credited(converting):
    maintained, academy, membership = converting
    invoices = {invoice.school: invoice for invoice in run()}
    line = invoices[academy].lines.get()
    issue_credit_note(
        invoice=invoices[academy],
        amounts={line.pk: Decimal("50.00")},
        reason="Agreed reduction",
        issue_date=datetime.date(2026, 11, 1),
    )
    assert membership_fees_credited(membership.year) == Decimal("50.00")
