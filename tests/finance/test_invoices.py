import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from finance.models import ImmutableRecordError, Invoice, InvoiceLine, LedgerEntry
from finance.selectors import invoices_with_status
from finance.services import FinanceError, issue_invoice
from tests.factories import SchoolFactory

from .conftest import booking_charge, membership_charge

D = Decimal
pytestmark = pytest.mark.django_db


def test_invoices_are_numbered_in_sequence_per_financial_year(issue, school_a, school_b):
    first = issue(school_a)
    second = issue(school_b, lines=[membership_charge("membership:other", "500")])
    next_year = issue(
        school_a,
        lines=[membership_charge("membership:2027", "500")],
        issue_date=datetime.date(2027, 4, 1),
    )
    assert [first.number, second.number, next_year.number] == [
        "INV-2026-27-00001",
        "INV-2026-27-00002",
        "INV-2027-28-00001",
    ]


def test_invoice_totals_vat_and_due_date(issue, school_a):
    invoice = issue(
        school_a,
        lines=[
            booking_charge("booking:1", "1.5", "1600.00", vat_rate=D("20")),
            booking_charge("booking:2", "2", "350.00"),
        ],
        purchase_order="PO-778",
    )
    assert (invoice.net_total, invoice.vat_total, invoice.gross_total) == (
        D("3100.00"),
        D("480.00"),
        D("3580.00"),
    )
    assert [line.vat_rate for line in invoice.lines.all()] == [D("20.00"), D("0.00")]
    assert invoice.due_date == datetime.date(2026, 10, 1)
    assert invoice.purchase_order == "PO-778"


def test_maintained_schools_are_recharged_and_academies_invoiced(issue):
    community = SchoolFactory(governance="community")
    academy = SchoolFactory(governance="academy", name="Gamma Academy")
    assert issue(community).billing == Invoice.Billing.INTERNAL_RECHARGE
    assert (
        issue(academy, lines=[membership_charge("m:academy", "900")]).billing
        == Invoice.Billing.EXTERNAL_INVOICE
    )


def test_an_issued_invoice_cannot_be_edited_or_deleted(issue, school_a):
    invoice = issue(school_a)
    invoice.purchase_order = "CHANGED"
    with pytest.raises(ImmutableRecordError):
        invoice.save()
    with pytest.raises(ImmutableRecordError):
        invoice.delete()
    with pytest.raises(ImmutableRecordError):
        Invoice.objects.filter(pk=invoice.pk).update(purchase_order="X")
    with pytest.raises(ImmutableRecordError):
        InvoiceLine.objects.filter(invoice=invoice).delete()
    assert Invoice.objects.get(pk=invoice.pk).purchase_order == ""


def test_a_source_is_billed_only_once(issue, school_a):
    issue(school_a, lines=[booking_charge("booking:7", "1", "100")])
    with pytest.raises(IntegrityError), transaction.atomic():
        issue(school_a, lines=[booking_charge("booking:7", "1", "100")])
    assert Invoice.objects.count() == 1


def test_a_failed_issue_leaves_no_gap_in_the_numbers(issue, school_a):
    issue(school_a, lines=[booking_charge("booking:1", "1", "100")])
    with pytest.raises(IntegrityError), transaction.atomic():
        issue(school_a, lines=[booking_charge("booking:1", "1", "100")])
    third = issue(school_a, lines=[booking_charge("booking:2", "1", "100")])
    assert third.number == "INV-2026-27-00002"


def test_an_invoice_needs_lines_and_positive_quantities(issue, school_a):
    with pytest.raises(FinanceError, match="at least one line"):
        issue_invoice(school=school_a, lines=[], issue_date=datetime.date(2026, 9, 1))
    with pytest.raises(FinanceError, match="quantity"):
        issue(school_a, lines=[booking_charge("booking:1", "0", "100")])
    assert Invoice.objects.count() == 0


def test_membership_income_is_earned_by_month_across_financial_years(issue, school_a):
    issue(school_a, lines=[membership_charge("membership:1", "1000.00")])
    entries = LedgerEntry.objects.filter(entry_type="invoice_line")
    assert entries.count() == 12
    by_year = {
        year: sum(e.amount for e in entries if e.financial_year == year)
        for year in ("2026-27", "2027-28")
    }
    assert by_year == {"2026-27": D("583.33"), "2027-28": D("416.67")}


def test_status_is_derived_from_due_date_and_balance(issue, school_a):
    invoice = issue(school_a)
    assert invoices_with_status(datetime.date(2026, 9, 15)).get(pk=invoice.pk).status == "issued"
    row = invoices_with_status(datetime.date(2026, 10, 2)).get(pk=invoice.pk)
    assert (row.status, row.balance) == ("overdue", D("1200.00"))
