"""The rule that matches a bank receipt to an invoice: a number or purchase order found AND
the amount left to pay; found with another amount, for a person; nothing found, unmatched."""

from decimal import Decimal

import pytest

from finance.rules import (
    RECEIPT_AMOUNT_DIFFERS,
    RECEIPT_MATCHED,
    RECEIPT_UNMATCHED,
    InvoiceToMatch,
    invoice_numbers_in,
    match_receipt,
    order_keys_in,
    orders_index,
)

D = Decimal
ALPHA = InvoiceToMatch("INV-2026-27-00012", "", D("1200.00"), D("1200.00"))
BETA = InvoiceToMatch("INV-2026-27-00013", "PO-4500123", D("840.50"), D("840.50"))
# Part paid: £1,000 of £1,500 still to pay.
GAMMA = InvoiceToMatch("INV-2026-27-00014", "4500999, 4501000", D("1000.00"), D("1500.00"))
PAID = InvoiceToMatch("INV-2026-27-00015", "", D("0.00"), D("300.00"))
INVOICES = {invoice.number: invoice for invoice in (ALPHA, BETA, GAMMA, PAID)}
BY_ORDER = orders_index([ALPHA, BETA, GAMMA])


def match(text, amount):
    return match_receipt(text=text, amount=D(amount), invoices=INVOICES, by_order=BY_ORDER)


@pytest.mark.parametrize(
    "text",
    [
        "BGC ALPHA PRIMARY INV-2026-27-00012",
        "alpha primary inv-2026-27-00012",
        "ALPHA INV202627 00012",
        "INV20262700012",
        "INV 2026/27 12",
        "Ref:INV-2026-27-00012.",
    ],
)
def test_an_invoice_number_however_typed_and_the_balance_is_a_match(text):
    found = match(text, "1200")
    assert (found.outcome, found.invoice) == (RECEIPT_MATCHED, ALPHA)


def test_a_number_found_with_another_amount_is_for_a_person():
    found = match("ALPHA INV-2026-27-00012", "1199.99")
    assert (found.outcome, found.invoice, found.reason) == (
        RECEIPT_AMOUNT_DIFFERS,
        ALPHA,
        "INV-2026-27-00012 has £1,200.00 left to pay",
    )


def test_the_gross_of_a_part_paid_invoice_is_more_than_can_be_recorded():
    found = match("INV-2026-27-00014", "1500.00")
    assert (found.outcome, found.reason) == (
        RECEIPT_AMOUNT_DIFFERS,
        "£1,500.00 is INV-2026-27-00014's total, but only £1,000.00 is left to pay",
    )
    assert match("INV-2026-27-00014", "1000.00").outcome == RECEIPT_MATCHED


def test_an_invoice_paid_already_is_named_and_not_matched():
    found = match("INV-2026-27-00015", "300.00")
    assert (found.outcome, found.invoice, found.reason) == (
        RECEIPT_AMOUNT_DIFFERS,
        PAID,
        "INV-2026-27-00015 has nothing left to pay",
    )


def test_of_two_numbers_named_the_one_whose_balance_is_paid_matches():
    found = match("INV-2026-27-00012 INV-2026-27-00013", "840.50")
    assert (found.outcome, found.invoice) == (RECEIPT_MATCHED, BETA)


@pytest.mark.parametrize("text", ["FPI BETA PO-4500123", "BETA PO 4500123", "po4500123 beta"])
def test_a_purchase_order_and_the_balance_is_a_match(text):
    found = match(text, "840.50")
    assert (found.outcome, found.invoice) == (RECEIPT_MATCHED, BETA)


def test_one_of_several_purchase_orders_on_an_invoice_matches():
    assert match("GAMMA 4501000", "1000").invoice == GAMMA


def test_a_purchase_order_found_with_another_amount_is_for_a_person():
    found = match("BETA PO-4500123", "800")
    assert (found.outcome, found.invoice) == (RECEIPT_AMOUNT_DIFFERS, BETA)


def test_a_purchase_order_inside_a_longer_number_is_not_found():
    assert match("ACCOUNT 45001234", "840.50").outcome == RECEIPT_UNMATCHED


def test_two_invoices_of_one_order_owing_the_amount_are_for_a_person():
    first = InvoiceToMatch("INV-2026-27-00020", "PO-8800", D("100.00"), D("100.00"))
    second = InvoiceToMatch("INV-2026-27-00021", "PO-8800", D("100.00"), D("100.00"))
    found = match_receipt(
        text="PO8800", amount=D("100"), invoices={}, by_order=orders_index([first, second])
    )
    assert (found.outcome, found.reason) == (
        RECEIPT_AMOUNT_DIFFERS,
        "2 invoices with this purchase order have £100.00 left to pay "
        "(INV-2026-27-00020, INV-2026-27-00021): choose one",
    )


@pytest.mark.parametrize(
    "text",
    [
        "ALPHA PRIMARY SCHOOL",
        "INV-2026-27-00099",  # not an invoice of the portal
        "INV-2026-28-00012",  # the years do not follow each other
        "INV-2026-27-000012",  # six digits: not our number
        "XINV-2026-27-00012",
        "",
    ],
)
def test_nothing_found_is_unmatched(text):
    found = match(text, "1200")
    assert (found.outcome, found.invoice) == (RECEIPT_UNMATCHED, None)


def test_a_short_or_digitless_purchase_order_is_not_matched_on():
    common = InvoiceToMatch("INV-2026-27-00030", "77, SCHOOL", D("5.00"), D("5.00"))
    assert orders_index([common]) == {}


def test_invoice_numbers_follow_the_partnership_prefix():
    assert invoice_numbers_in("paid hil inv 2026 27 7 thanks", "HIL-INV") == [
        "HIL-INV-2026-27-00007"
    ]
    assert invoice_numbers_in("INV-2026-27-00007", "HIL-INV") == []


def test_order_keys_join_neighbouring_words():
    assert order_keys_in("PO 4500 123") == {
        "PO",
        "4500",
        "123",
        "PO4500",
        "4500123",
        "PO4500123",
    }
