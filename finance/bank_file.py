"""Reading a bank's CSV export of an account's transactions: pure parsing, no database.

UK banks name their columns differently (Barclays "Amount", Lloyds "Credit Amount",
Nationwide "Paid in", NatWest " Value"), so columns are found by name through a column
map: a date, money in (or one signed amount), money out (optional, only counted), and
the description and reference text. The header is the first row that names a date and
an amount column; rows above it (an account name, a sort code) are passed over.

Only money in is kept; money out, negative and nil rows are counted and ignored. A row
that cannot be read (a date or amount that is not one) refuses the whole file, naming its
line, so no receipt is silently lost. The file is read a line at a time, never whole.

Each receipt gets a fingerprint: its date, amount, text and its position among identical
lines of the file (two £100 payments with the same text on the same day are two
receipts). The same line in the same file, uploaded again, has the same fingerprint.
"""

import csv
import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from partnership.money import money

# Header names as the column map reads them: lower case, words only ("Amount (GBP)" is
# "amount gbp", "Narrative #1" is "narrative 1"). The first name found wins.
DATE_HEADERS = (
    "date",
    "transaction date",
    "posting date",
    "posted date",
    "entry date",
    "booking date",
    "value date",
)
MONEY_IN_HEADERS = (
    "money in",
    "paid in",
    "credit",
    "credits",
    "credit amount",
    "amount in",
    "receipts",
    "in",
)
MONEY_OUT_HEADERS = (
    "money out",
    "paid out",
    "debit",
    "debits",
    "debit amount",
    "amount out",
    "payments",
    "out",
)
# One signed column (money in positive, money out negative), read when there is no money-in
# column.
AMOUNT_HEADERS = ("amount", "amount gbp", "value", "transaction amount", "net amount")
# Every one of these the file has is read, in this order, as the line's description.
DESCRIPTION_HEADERS = (
    "description",
    "transaction description",
    "details",
    "transaction details",
    "narrative",
    "narrative 1",
    "narrative 2",
    "narrative 3",
    "narrative 4",
    "narrative 5",
    "memo",
    "counter party",
    "counterparty",
    "payee",
    "payer",
    "name",
)
REFERENCE_HEADERS = (
    "reference",
    "payment reference",
    "customer reference",
    "bank reference",
    "ref",
    "notes",
)

# The header may follow a few rows of account details; a file with none in its first rows
# has no header at all.
HEADER_SEARCH_ROWS = 10
# A month's receipts are tens or hundreds of lines. The check page posts a field for each
# line, and Django refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)
# fields, so a file of more is refused here, asking for a shorter period, rather than
# failing when the officer confirms.
MAX_RECEIPTS = 900
PROBLEMS_SHOWN = 10
BOM = b"\xef\xbb\xbf"

DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# "15 Nov 2026", "15-Nov-2026"
DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})")
# A time after the date (some exports give "15/11/2026 10:04"): not needed.
TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


class BankFileError(ValueError):
    """The file cannot be read as a bank export of receipts; nothing is recorded."""


@dataclass(frozen=True)
class ColumnMap:
    """Which column of the file holds what (positions in a row), as found in its header."""

    date: int
    money_in: int | None
    money_out: int | None
    amount: int | None
    description: tuple[int, ...]
    reference: tuple[int, ...]
    names: dict = field(default_factory=dict, compare=False)

    def summary(self) -> str:
        """The columns read, in words, for the check page: Date: “Transaction Date”; ..."""
        return "; ".join(
            f"{label}: " + ", ".join(f"“{name}”" for name in names)
            for label, names in self.names.items()
            if names
        )


@dataclass(frozen=True)
class Receipt:
    """One line of money in."""

    line: int
    received_on: datetime.date
    amount: Decimal
    description: str
    reference: str
    fingerprint: str

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.description, self.reference) if part)


@dataclass
class BankFile:
    """What reading the file found: the column map, then counts as the receipts stream by."""

    file_name: str
    columns: ColumnMap | None = None
    header_line: int = 0
    rows: int = 0
    ignored: int = 0  # rows of money out, negative, nil or no amount
    receipts: int = 0
    total_in: Decimal = Decimal("0.00")


def header_key(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def column_map(header: list[str]) -> ColumnMap | None:
    """The columns of a header row, or None when it does not name a date and an amount."""
    keys = [header_key(name) for name in header]

    def first(candidates):
        for candidate in candidates:
            if candidate in keys:
                return keys.index(candidate)
        return None

    def every(candidates):
        return tuple(keys.index(c) for c in candidates if c in keys)

    date = first(DATE_HEADERS)
    money_in = first(MONEY_IN_HEADERS)
    amount = None if money_in is not None else first(AMOUNT_HEADERS)
    if date is None or (money_in is None and amount is None):
        return None
    money_out = first(MONEY_OUT_HEADERS) if money_in is not None else None
    description, reference = every(DESCRIPTION_HEADERS), every(REFERENCE_HEADERS)

    def named(*positions):
        return [header[p].strip() for p in positions if p is not None]

    return ColumnMap(
        date=date,
        money_in=money_in,
        money_out=money_out,
        amount=amount,
        description=description,
        reference=reference,
        names={
            "Date": named(date),
            "Money in": named(money_in) if money_in is not None else [],
            "Money out": named(money_out),
            "Amount (money in positive)": named(amount),
            "Description": named(*description),
            "Reference": named(*reference),
        },
    )


def parse_date(value: str) -> datetime.date | None:
    """dd/mm/yyyy (or with - or .), yyyy-mm-dd or 15 Nov 2026, a time after it ignored."""
    value = TIME_SUFFIX.sub("", value.strip())
    try:
        if match := DAY_FIRST.fullmatch(value):
            day, month, year = (int(part) for part in match.groups())
        elif match := ISO_DATE.fullmatch(value):
            year, month, day = (int(part) for part in match.groups())
        elif (match := DAY_MONTH_NAME.fullmatch(value)) and match[2].lower() in MONTHS:
            day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
        else:
            return None
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_amount(value: str) -> Decimal | None:
    """A bank's amount: "1,234.56", "£1234.56", "-12.00", "(12.00)", "12.00 CR", "12.00 DR".

    None when blank; ValueError when it is not an amount of pounds and pence."""
    text = value.strip().replace(",", "").replace("£", "").replace(" ", "")
    if not text:
        return None
    sign = 1
    upper = text.upper()
    if upper.endswith(("CR", "DR")):
        sign = -1 if upper.endswith("DR") else 1
        text = text[:-2]
    if text.startswith("(") and text.endswith(")"):
        sign, text = -sign, text[1:-1]
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValueError(value)
    return money(sign * amount)


def fingerprint(received_on: datetime.date, amount: Decimal, text: str, occurrence: int) -> str:
    """The same bank line, whichever upload it comes in: date, amount, text (spaces and
    case as the bank may vary them) and which of identical lines in the file it is."""
    words = " ".join(text.split()).upper()
    key = f"{received_on.isoformat()}|{money(amount):.2f}|{words}|{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _text_lines(stream) -> Iterator[str]:
    """The file's lines as text: UTF-8 (with or without a byte-order mark), or, line by
    line, windows-1252 (a £ sign saved by older spreadsheets)."""
    stream.seek(0)
    for number, raw in enumerate(iter(stream.readline, b""), start=1):
        if number == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise BankFileError(
                    "The file is saved as UTF-16 (“Unicode text”), not CSV: save it as "
                    "“CSV UTF-8” or “CSV (comma delimited)” and upload it again"
                )
            if raw.startswith(b"PK\x03\x04"):
                raise BankFileError(
                    "The file is an Excel workbook, not a CSV file: save it as "
                    "“CSV (comma delimited)” and upload that"
                )
            if raw.startswith(b"%PDF"):
                raise BankFileError(
                    "The file is a PDF statement, not a CSV file: download the "
                    "transactions from your bank as CSV"
                )
            raw = raw.removeprefix(BOM)
        if b"\x00" in raw:
            raise BankFileError(f"The file is not a CSV file: line {number} holds binary data")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", "replace")


def _cell(cells: list[str], position: int | None) -> str:
    if position is None or position >= len(cells):
        return ""
    return cells[position].strip()


def read(stream, file_name: str = "") -> tuple[BankFile, Iterator[Receipt]]:
    """The file's column map and its receipts, one at a time, as the file is read.

    `stream` is a binary file. Raises BankFileError, naming the line, when the file is not
    a CSV, has no header naming a date and an amount column, or has a row that cannot be
    read; the receipts iterator raises it too (only once it has read the whole file, so it
    can name up to ten such rows at once). Read all of it inside a transaction that an
    error undoes.
    """
    found = BankFile(file_name=file_name)
    lines = _text_lines(stream)
    # strict: a quote never closed is an error, not the rest of the file read as one cell.
    reader = csv.reader(lines, strict=True)
    first_line = ""
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if not first_line:
                first_line = ",".join(cells)
            columns = column_map(cells)
            if columns is not None:
                found.columns, found.header_line = columns, reader.line_num
                break
            if reader.line_num >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise BankFileError(
            f"The file is not a readable CSV file: line {reader.line_num}: {_csv_problem(exc)}"
        ) from exc
    if not first_line:
        raise BankFileError("The file is empty")
    if found.columns is None:
        shown = first_line if len(first_line) <= 80 else first_line[:77] + "..."
        raise BankFileError(
            "The file has no header row naming its columns: it needs a date column and a "
            "money in (or amount) column, like “Date,Description,Money in,Money out” "
            f"(line 1 reads “{shown}”)"
        )
    if not found.columns.description and not found.columns.reference:
        raise BankFileError(
            f"The header row (line {found.header_line}) has no description or reference "
            "column, so no receipt could be matched to an invoice"
        )
    return found, _receipts(found, reader)


def _receipts(found: BankFile, reader) -> Iterator[Receipt]:
    columns = found.columns
    problems: list[str] = []
    occurrences: dict[tuple, int] = {}
    line = reader.line_num + 1
    try:
        for cells in reader:
            # A quoted cell may span lines: a row starts on the line after the last one ended.
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            found.rows += 1
            amount, problem = _amount_in(cells, columns)
            if problem:
                problems.append(f"line {start}: {problem}")
                continue
            if amount is None:
                found.ignored += 1
                continue
            date_text = _cell(cells, columns.date)
            received_on = parse_date(date_text)
            if received_on is None:
                problems.append(
                    f"line {start}: the date “{date_text}” is not a date like 15/11/2026"
                    if date_text
                    else f"line {start}: the date is missing"
                )
                continue
            description = " ".join(_cell(cells, p) for p in columns.description if _cell(cells, p))
            reference = " ".join(_cell(cells, p) for p in columns.reference if _cell(cells, p))
            text = " ".join(part for part in (description, reference) if part)
            key = (received_on, amount, " ".join(text.split()).upper())
            occurrence = occurrences.get(key, 0)
            occurrences[key] = occurrence + 1
            found.receipts += 1
            found.total_in += amount
            if found.receipts > MAX_RECEIPTS:
                raise BankFileError(
                    f"The file has more than {MAX_RECEIPTS:,} receipts (line {start} is "
                    f"receipt {MAX_RECEIPTS + 1:,}): download a shorter period and upload "
                    "each part"
                )
            if not problems:
                yield Receipt(
                    start,
                    received_on,
                    amount,
                    description,
                    reference,
                    fingerprint(received_on, amount, text, occurrence),
                )
    except csv.Error as exc:
        raise BankFileError(
            f"The file is not a readable CSV file: line {line}: {_csv_problem(exc)}"
        ) from exc
    if problems:
        more = len(problems) - PROBLEMS_SHOWN
        raise BankFileError(
            f"{len(problems)} row{'s' if len(problems) != 1 else ''} of the file cannot be "
            "read, so nothing was taken from it: "
            + "; ".join(problems[:PROBLEMS_SHOWN])
            + (f"; and {more} more" if more > 0 else "")
        )
    if not found.receipts:
        raise BankFileError(
            "The file has no money in"
            + (
                f": its {found.ignored} row{'s are' if found.ignored != 1 else ' is'} "
                "money out or nil"
                if found.ignored
                else ""
            )
        )


def _csv_problem(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return 'a quote (") opened here is never closed'
    return str(exc)


def _amount_in(cells, columns: ColumnMap) -> tuple[Decimal | None, str]:
    """(money in, "") for a receipt, (None, "") for money out, nil or none, or (None, problem)."""
    if columns.money_in is not None:
        wanted = [("money in", columns.money_in), ("money out", columns.money_out)]
    else:
        wanted = [("amount", columns.amount)]
    amounts = {}
    for label, position in wanted:
        text = _cell(cells, position)
        try:
            amounts[label] = parse_amount(text)
        except ValueError:
            return None, f"the {label} “{text}” is not an amount of money like 1,234.56"
    # A row with no amount at all (an opening balance, say) moves no money: ignored too.
    amount = amounts["amount"] if columns.money_in is None else amounts["money in"]
    return (amount if amount is not None and amount > 0 else None), ""
