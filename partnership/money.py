"""Money is Decimal pounds, rounded half-up to the penny here and nowhere else."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")


def money(value) -> Decimal:
    """Round to the penny, half-up. Accepts Decimal, int or a numeric string, never float."""
    if isinstance(value, float):
        raise TypeError("money() refuses floats: pass a Decimal, int or string")
    try:
        return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc


def money_up(value) -> Decimal:
    """Round up to the penny (break-even rates must cover the cost, never fall short)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_CEILING)


def parse_money(value) -> Decimal:
    """Read an amount written in a file or form ("1,050", "19.00", 850) as Decimal pounds."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, float):
        # YAML reads an unquoted 0.89 as a float; its repr is the text that was written.
        value = repr(value)
    text = str(value).strip().replace(",", "").lstrip("£")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not amount.is_finite():
        raise ValueError("not a number")
    return amount


def format_money(value) -> str:
    """£1,234.50 (negative as -£1,234.50)."""
    amount = money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def surplus_words(value) -> str:
    """A surplus or deficit in words, the one way every page, PDF and email writes it:
    "Surplus £1,234.50", "Deficit £1,234.50" (never a minus sign after the word), or
    "Break-even (£0.00)". The figure itself is income − costs, a deficit negative."""
    amount = money(value)
    if amount > 0:
        return f"Surplus {format_money(amount)}"
    if amount < 0:
        return f"Deficit {format_money(-amount)}"
    return "Break-even (£0.00)"


class Pounds(Decimal):
    """An amount of money in a download: written as 1234.50 in a CSV, and stored as a
    number in pounds format in an XLSX (partnership.exports), so a spreadsheet can add it."""


def pounds(value) -> Pounds:
    """Money for a download, rounded to the penny."""
    return Pounds(money(value))


def csv_money(value) -> str:
    """Money in exports: two decimals, no £ sign, no thousands separator."""
    return f"{money(value):.2f}"
