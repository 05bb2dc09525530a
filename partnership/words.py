"""Words written as a person would write them: "1 invoice", "2 invoices", "1 December 2026"."""

from .calendars import FinancialYear


def count_of(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def long_date(day) -> str:
    """A date as a sentence writes it: "1 December 2026" (tables use "01 Dec 2026")."""
    return f"{day.day} {day:%B %Y}"


def financial_year(year) -> str:
    """A financial year as pages, tables, charts and PDFs write it, the same way as an
    academic year: "2026-27" (or a FinancialYear) is "2026/27". Files, CSV exports,
    commands, the API and invoice numbers keep "2026-27". Anything that is not a
    financial year (an "all years") is written as it is."""
    if isinstance(year, FinancialYear):
        return year.on_pages
    try:
        return FinancialYear.parse(str(year)).on_pages
    except ValueError:
        return "" if year is None else str(year)
