"""The file the council's finance system imports: columns, dates and signs (pure).

The layout comes from the partnership file's `ledger:` section (LedgerLayout); without
one it is DEFAULT_LAYOUT, the columns the ledger export has always had (Date, Account
code, Cost centre, Description, Amount, Reference; ISO dates; income positive).

Debits and credits as the council's ledger sees the trading account: income earned is a
credit and money spent a debit; a credit note or reversal turns its side round. So an
income entry of £100 is a £100 credit, an expenditure entry of -£50 (a reversed cost) a
£50 credit.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from partnership.exports import safe_row
from partnership.money import csv_money, money

ZERO = Decimal("0.00")

# What a column may take, in the words the docs use for them.
FIELDS = {
    "date": "the entry's date",
    "period": "its month of the financial year, 1 (April) to 12 (March)",
    "financial_year": "its financial year, e.g. 2026-27",
    "account_code": "the account (subjective) code",
    "cost_centre": "the cost centre",
    "cfr_code": "the CFR code",
    "description": "what the entry is",
    "amount": "the amount, signed as `credits` says",
    "debit": "the amount when a debit, else blank",
    "credit": "the amount when a credit, else blank",
    "reference": "the invoice, credit note or source it records",
    "batch": "the export batch's number",
}

DATE_FORMATS = {
    "yyyy-mm-dd": "%Y-%m-%d",
    "dd/mm/yyyy": "%d/%m/%Y",
    "dd-mm-yyyy": "%d-%m-%Y",
    "dd.mm.yyyy": "%d.%m.%Y",
    "dd/mm/yy": "%d/%m/%y",
    "yyyymmdd": "%Y%m%d",
    "dd-mon-yyyy": "%d-%b-%Y",  # 05-OCT-2026, as Oracle-based ledgers take it
}

# positive: credits positive and debits negative (income positive: the original export);
# negative: debits positive and credits negative, as most journal imports take them.
CREDIT_SIGNS = ("positive", "negative")


@dataclass(frozen=True)
class Column:
    heading: str
    field: str = ""
    value: str = ""  # the same text on every row, when there is no field


@dataclass(frozen=True)
class Layout:
    columns: tuple
    date_format: str = "yyyy-mm-dd"
    credits: str = "positive"

    def as_dict(self) -> dict:
        return {
            "columns": [
                {"heading": c.heading, "field": c.field}
                if c.field
                else {"heading": c.heading, "value": c.value}
                for c in self.columns
            ],
            "date_format": self.date_format,
            "credits": self.credits,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Layout":
        return cls(
            columns=tuple(
                Column(c["heading"], c.get("field", ""), c.get("value", ""))
                for c in data["columns"]
            ),
            date_format=data.get("date_format") or "yyyy-mm-dd",
            credits=data.get("credits") or "positive",
        )


DEFAULT_LAYOUT = Layout(
    columns=(
        Column("Date", "date"),
        Column("Account code", "account_code"),
        Column("Cost centre", "cost_centre"),
        Column("Description", "description"),
        Column("Amount", "amount"),
        Column("Reference", "reference"),
    )
)


@dataclass(frozen=True)
class Line:
    """One ledger entry as the council's ledger takes it."""

    date: datetime.date
    financial_year: str
    codes: dict
    description: str
    # Credit positive, debit negative: the ledger's view (module docstring).
    signed: Decimal
    reference: str

    @property
    def is_credit(self) -> bool:
        return self.signed > 0


def signed_amount(side: str, amount) -> Decimal:
    """Income earned is a credit (positive); money spent a debit (negative)."""
    return money(amount) if side == "income" else -money(amount)


def period(day: datetime.date) -> int:
    """The month of the LA's financial year: April is 1, March 12."""
    return (day.month - 4) % 12 + 1


def format_date(day: datetime.date, date_format: str) -> str:
    text = day.strftime(DATE_FORMATS[date_format])
    return text.upper() if date_format == "dd-mon-yyyy" else text


def cell(line: Line, column: Column, layout: Layout, batch_number) -> str:
    field = column.field
    if not field:
        return column.value
    if field == "date":
        return format_date(line.date, layout.date_format)
    if field == "period":
        return str(period(line.date))
    if field == "financial_year":
        return line.financial_year
    if field in ("account_code", "cost_centre", "cfr_code"):
        return line.codes.get(field, "")
    if field == "description":
        return line.description
    if field == "amount":
        return csv_money(line.signed if layout.credits == "positive" else -line.signed)
    if field == "debit":
        return "" if line.is_credit else csv_money(-line.signed)
    if field == "credit":
        return csv_money(line.signed) if line.is_credit else ""
    if field == "reference":
        return line.reference
    if field == "batch":
        return "" if batch_number is None else str(batch_number)
    raise ValueError(f"unknown field {field!r}")


def render(lines, layout: Layout = DEFAULT_LAYOUT, batch_number=None) -> str:
    """The CSV (header row, then a row per line; "\\n" line ends) the finance system imports.
    Cells a spreadsheet would run as a formula are made safe (partnership.exports)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row([column.heading for column in layout.columns]))
    for line in lines:
        writer.writerow(
            safe_row([cell(line, column, layout, batch_number) for column in layout.columns])
        )
    return out.getvalue()


def totals(lines) -> tuple[Decimal, Decimal]:
    """(debits, credits), each a positive sum: what the check page and the batch show."""
    debits = credits = ZERO
    for line in lines:
        if line.is_credit:
            credits += line.signed
        else:
            debits -= line.signed
    return money(debits), money(credits)
