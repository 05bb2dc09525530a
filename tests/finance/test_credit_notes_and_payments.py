import datetime
from decimal import Decimal

import pytest

from finance.models import CreditNote, LedgerEntry, Payment
from finance.selectors import invoices_with_status, reconciliation
from finance.services import FinanceError, issue_credit_note, record_payment

from .conftest import booking_charge, membership_charge

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 20)


def status(invoice):
    return invoices_with_status(TODAY).get(pk=invoice.pk)


def test_a_credit_note_reduces_the_balance_and_the_ledger(issue, school_a, finance_officer):
    invoice = issue(school_a, lines=[booking_charge("booking:1", "2", "500", vat_rate=D("20"))])
    line = invoice.lines.get()
    note = issue_credit_note(
        invoice=invoice,
        amounts={line.pk: D("250")},
        reason="Half a day not delivered",
        issue_date=datetime.date(2026, 11, 3),
        issued_by=finance_officer,
    )
    assert note.number == "CN-2026-27-00001"
    assert (note.net_total, note.vat_total, note.gross_total) == (
        D("250.00"),
        D("50.00"),
        D("300.00"),
    )
    assert status(invoice).balance == D("900.00")
    assert status(invoice).status == "part_paid"
    credit_entry = LedgerEntry.objects.get(entry_type="credit_note_line")
    assert (credit_entry.amount, credit_entry.entry_date) == (
        D("-250.00"),
        datetime.date(2026, 11, 3),
    )


def test_a_line_cannot_be_credited_beyond_what_is_left(issue, school_a):
    invoice = issue(school_a)
    line = invoice.lines.get()
    issue_credit_note(
        invoice=invoice, amounts={line.pk: D("1000")}, reason="Fee corrected", issue_date=TODAY
    )
    with pytest.raises(FinanceError, match="at most £200.00"):
        issue_credit_note(
            invoice=invoice, amounts={line.pk: D("200.01")}, reason="Again", issue_date=TODAY
        )
    assert CreditNote.objects.count() == 1


def test_a_credit_note_needs_a_reason_and_a_line_of_its_invoice(issue, school_a, school_b):
    invoice = issue(school_a)
    other = issue(school_b, lines=[membership_charge("membership:b", "300")])
    with pytest.raises(FinanceError, match="reason"):
        issue_credit_note(
            invoice=invoice, amounts={invoice.lines.get().pk: D("1")}, reason=" ", issue_date=TODAY
        )
    with pytest.raises(FinanceError, match="its own invoice"):
        issue_credit_note(
            invoice=invoice, amounts={other.lines.get().pk: D("1")}, reason="x", issue_date=TODAY
        )
    assert CreditNote.objects.count() == 0


def test_fully_credited_invoice_is_credited(issue, school_a):
    invoice = issue(school_a)
    issue_credit_note(
        invoice=invoice,
        amounts={invoice.lines.get().pk: D("1200")},
        reason="Left",
        issue_date=TODAY,
    )
    assert (status(invoice).status, status(invoice).balance) == ("credited", D("0.00"))


def test_payments_reduce_the_balance_and_cannot_exceed_it(issue, school_a, finance_officer):
    invoice = issue(school_a)
    record_payment(
        invoice=invoice,
        amount="700",
        received_on=TODAY,
        method="bacs",
        reference="BACS 1",
        recorded_by=finance_officer,
    )
    assert (status(invoice).status, status(invoice).balance) == ("part_paid", D("500.00"))
    with pytest.raises(FinanceError, match="more than the balance of £500.00"):
        record_payment(invoice=invoice, amount="500.01", received_on=TODAY, method="bacs")
    with pytest.raises(FinanceError, match="more than £0.00"):
        record_payment(invoice=invoice, amount="0", received_on=TODAY, method="bacs")
    record_payment(invoice=invoice, amount="500", received_on=TODAY, method="internal_recharge")
    assert (status(invoice).status, status(invoice).balance) == ("paid", D("0.00"))
    assert Payment.objects.count() == 2


def test_the_trading_account_reconciles_to_the_penny(issue, school_a, school_b):
    first = issue(school_a, lines=[membership_charge("membership:a", "1000.00")])
    second = issue(
        school_b,
        lines=[
            booking_charge("booking:1", "1.5", "333.33", vat_rate=D("20")),
            booking_charge("booking:2", "3", "0.335"),
        ],
    )
    issue_credit_note(
        invoice=first,
        amounts={first.lines.get().pk: D("333.33")},
        reason="Joined late",
        issue_date=datetime.date(2027, 1, 5),
    )
    record_payment(invoice=second, amount="200.00", received_on=TODAY, method="bacs")
    record_payment(invoice=first, amount="666.67", received_on=TODAY, method="internal_recharge")
    result = reconciliation()
    assert result.invoiced_net == D("1501.01")
    assert result.credited_net == D("333.33")
    assert result.ledger_income_from_invoices == D("1167.68")
    assert result.income_agrees
    assert result.invoiced_gross == D("1601.01")  # £100.00 VAT on the peer review
    assert result.paid == D("866.67")
    assert result.outstanding == D("401.01")
    assert result.debtors_agree


def test_a_credit_note_gives_back_income_in_the_months_the_line_still_earns_it(issue, school_a):
    """£1,200 membership earned September to August, £257.50 credited in January: the credit
    is spread over January to August, three months in FY 2026-27 and five in FY 2027-28, as
    the income it takes back was earned."""
    invoice = issue(school_a, lines=[membership_charge("membership:1", "1200.00")])
    line = invoice.lines.get()
    issue_credit_note(
        invoice=invoice,
        amounts={line.pk: D("257.50")},
        reason="Left at Christmas",
        issue_date=datetime.date(2027, 1, 10),
    )
    credits = LedgerEntry.objects.filter(entry_type="credit_note_line").order_by("entry_date")
    assert [(e.entry_date, e.amount) for e in credits][:4] == [
        (datetime.date(2027, 1, 10), D("-32.19")),
        (datetime.date(2027, 2, 1), D("-32.19")),
        (datetime.date(2027, 3, 1), D("-32.18")),
        (datetime.date(2027, 4, 1), D("-32.19")),
    ]
    by_year = {
        year: sum(e.amount for e in credits if e.financial_year == year)
        for year in ("2026-27", "2027-28")
    }
    assert by_year == {"2026-27": D("-96.56"), "2027-28": D("-160.94")}
    assert sum(e.amount for e in credits) == D("-257.50")
    assert reconciliation().income_agrees


def test_a_credit_note_after_the_lines_period_goes_in_its_own_month(issue, school_a):
    invoice = issue(school_a, lines=[booking_charge("booking:1", "1", "500")])
    issue_credit_note(
        invoice=invoice,
        amounts={invoice.lines.get().pk: D("100")},
        reason="Shorter session",
        issue_date=datetime.date(2027, 4, 2),
    )
    entry = LedgerEntry.objects.get(entry_type="credit_note_line")
    assert (entry.entry_date, entry.financial_year, entry.amount) == (
        datetime.date(2027, 4, 2),
        "2027-28",
        D("-100.00"),
    )
