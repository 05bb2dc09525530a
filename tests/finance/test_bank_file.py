"""Reading the bank's CSV export: the column map of common UK banks, money in only, and a
file that cannot be read refused with its line named."""

import datetime
import io
from decimal import Decimal

import pytest

from finance.bank_file import (
    MAX_RECEIPTS,
    BankFileError,
    fingerprint,
    parse_amount,
    parse_date,
    read,
)

D = Decimal


def receipts_of(text, encoding="utf-8"):
    found, receipts = read(io.BytesIO(text.encode(encoding) if isinstance(text, str) else text))
    return found, list(receipts)


def test_a_money_in_and_money_out_export():
    found, receipts = receipts_of(
        "Date,Description,Reference,Money in,Money out,Balance\n"
        '03/11/2026,BGC ALPHA PRIMARY,INV-2026-27-00001,"1,200.00",,5000.00\n'
        "04/11/2026,DD COUNCIL,,,250.00,4750.00\n"
        "05/11/2026,FPI BETA PRIMARY,PO 4500123,840.5,,5590.50\n"
    )
    assert [(r.line, r.received_on, r.amount, r.description, r.reference) for r in receipts] == [
        (2, datetime.date(2026, 11, 3), D("1200.00"), "BGC ALPHA PRIMARY", "INV-2026-27-00001"),
        (4, datetime.date(2026, 11, 5), D("840.50"), "FPI BETA PRIMARY", "PO 4500123"),
    ]
    assert (found.rows, found.receipts, found.ignored, found.total_in) == (3, 2, 1, D("2040.50"))
    assert found.columns.summary() == (
        "Date: “Date”; Money in: “Money in”; Money out: “Money out”; "
        "Description: “Description”; Reference: “Reference”"
    )


def test_barclays_one_signed_amount_with_iso_dates():
    found, receipts = receipts_of(
        "Number,Date,Account,Amount,Subcategory,Memo\n"
        ",2026-11-03,20-00-00 1234,1200.00,Bank Credit,ALPHA PRIMARY INV202627 00001\n"
        ",2026-11-04,20-00-00 1234,-45.10,Direct Debit,PHONE\n"
        ",2026-11-04,20-00-00 1234,0.00,Fee,NIL\n"
    )
    assert [(r.received_on, r.amount, r.text) for r in receipts] == [
        (datetime.date(2026, 11, 3), D("1200.00"), "ALPHA PRIMARY INV202627 00001")
    ]
    assert found.ignored == 2


def test_lloyds_credit_amount_after_account_details():
    found, receipts = receipts_of(
        "Account name,Partnership account\n"
        "Sort code,30-00-00\n"
        "\n"
        "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
        "Debit Amount,Credit Amount,Balance\n"
        "15/11/2026,FPI,'30-00-00,12345678,GAMMA ACADEMY TRUST PO-77,,420.00,9000.00\n"
    )
    assert found.header_line == 4
    assert [(r.line, r.amount, r.text) for r in receipts] == [
        (5, D("420.00"), "GAMMA ACADEMY TRUST PO-77")
    ]


def test_nationwide_paid_in_with_pound_signs_in_windows_1252():
    _, receipts = receipts_of(
        "Date,Transaction type,Description,Paid out,Paid in,Balance\n"
        '15 Nov 2026,Bank credit,DELTA PRIMARY,,"£1,050.00","£2,000.00"\n',
        encoding="cp1252",
    )
    assert [(r.received_on, r.amount) for r in receipts] == [
        (datetime.date(2026, 11, 15), D("1050.00"))
    ]


def test_a_byte_order_mark_and_spaces_in_headers_are_read():
    _, receipts = receipts_of(
        "\ufeffDate, Type, Description, Value, Balance\n15/11/2026,BAC,EPSILON SCHOOL,99.99,1\n"
    )
    assert [r.amount for r in receipts] == [D("99.99")]


def test_identical_lines_are_told_apart_by_their_place_among_them():
    text = "Date,Description,Amount\n" + "01/11/2026,ALPHA PRIMARY,100.00\n" * 2
    _, first = receipts_of(text)
    _, again = receipts_of(text)
    assert first[0].fingerprint != first[1].fingerprint
    assert [r.fingerprint for r in first] == [r.fingerprint for r in again]
    assert first[0].fingerprint == fingerprint(
        datetime.date(2026, 11, 1), D("100"), "alpha  primary", 0
    )


def test_a_line_keeps_its_fingerprint_when_other_lines_come_and_go():
    _, november = receipts_of(
        "Date,Description,Amount\n01/11/2026,ALPHA,100.00\n02/11/2026,BETA,50.00\n"
    )
    _, overlapping = receipts_of(
        "Date,Description,Amount\n02/11/2026,BETA,50.00\n03/11/2026,GAMMA,75.00\n"
    )
    assert november[1].fingerprint == overlapping[0].fingerprint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\n\n", "The file is empty"),
        (
            b"03/11/2026,ALPHA,1200.00\n",
            "The file has no header row naming its columns: it needs a date column and a "
            "money in (or amount) column, like “Date,Description,Money in,Money out” "
            "(line 1 reads “03/11/2026,ALPHA,1200.00”)",
        ),
        (
            b"Date,Amount,Balance\n03/11/2026,5,5\n",
            "The header row (line 1) has no description or reference column",
        ),
        (b"PK\x03\x04\x14\x00rest of a workbook", "The file is an Excel workbook, not a CSV"),
        (b"%PDF-1.7\n", "The file is a PDF statement, not a CSV file"),
        ("Date,Description,Amount\n".encode("utf-16"), "The file is saved as UTF-16"),
        (b"Date,Description,Amount\n01/11/2026,A\x00B,5\n", "line 2 holds binary data"),
        (
            b"Date,Description,Money in\n31/02/2026,ALPHA,5.00\n01/03/2026,BETA,five\n"
            b"02/03/2026,GAMMA,1.005\n,DELTA,3\n",
            "4 rows of the file cannot be read, so nothing was taken from it: "
            "line 2: the date “31/02/2026” is not a date like 15/11/2026; "
            "line 3: the money in “five” is not an amount of money like 1,234.56; "
            "line 4: the money in “1.005” is not an amount of money like 1,234.56; "
            "line 5: the date is missing",
        ),
        (
            b'Date,Description,Money in\n01/11/2026,"unclosed,5\n',
            'The file is not a readable CSV file: line 2: a quote (") opened here is never closed',
        ),
        (
            b"Date,Description,Money in,Money out\n01/11/2026,DD,,5.00\n",
            "The file has no money in: its 1 row is money out or nil",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_the_problem(content, message):
    with pytest.raises(BankFileError) as refused:
        receipts_of(content)
    assert message in str(refused.value)


def test_more_bad_rows_than_shown_are_counted():
    rows = "".join(f"xx/11/2026,ROW {n},5\n" for n in range(12))
    with pytest.raises(BankFileError) as refused:
        receipts_of("Date,Description,Amount\n" + rows)
    assert str(refused.value).startswith("12 rows of the file cannot be read")
    assert str(refused.value).endswith("; and 2 more")


def test_a_file_of_more_receipts_than_a_check_page_can_hold_is_refused():
    rows = "01/11/2026,ALPHA,1.00\n" * (MAX_RECEIPTS + 1)
    with pytest.raises(BankFileError) as refused:
        receipts_of("Date,Description,Amount\n" + rows)
    assert f"line {MAX_RECEIPTS + 2} is receipt {MAX_RECEIPTS + 1:,}" in str(refused.value)


def test_the_file_is_read_a_line_at_a_time():
    """The reader pulls lines from the file as it goes: a receipt is ready before the rest of
    the file has been read."""

    class Watched(io.BytesIO):
        read_lines = 0

        def readline(self, *args):
            Watched.read_lines += 1
            return super().readline(*args)

    stream = Watched(
        ("Date,Description,Amount\n" + "01/11/2026,ALPHA,1.00\n" * 1000).encode("utf-8")
    )
    _, receipts = read(stream)
    next(receipts)
    assert Watched.read_lines < 10


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.56", D("1234.56")),
        ("£1234.5", D("1234.50")),
        ("-12.00", D("-12.00")),
        ("(12.00)", D("-12.00")),
        ("12.00 CR", D("12.00")),
        ("12.00DR", D("-12.00")),
        ("+7", D("7.00")),
        ("", None),
    ],
)
def test_amounts_as_banks_write_them(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15/11/2026", datetime.date(2026, 11, 15)),
        ("5/1/2027", datetime.date(2027, 1, 5)),
        ("15-11-2026", datetime.date(2026, 11, 15)),
        ("2026-11-15", datetime.date(2026, 11, 15)),
        ("15 Nov 2026", datetime.date(2026, 11, 15)),
        ("15-November-2026", datetime.date(2026, 11, 15)),
        ("15/11/2026 10:04", datetime.date(2026, 11, 15)),
        ("2026-11-15T10:04:00Z", datetime.date(2026, 11, 15)),
        ("11/15/2026", None),
        ("15 Nox 2026", None),
        ("yesterday", None),
    ],
)
def test_dates_as_banks_write_them(text, day):
    assert parse_date(text) == day
