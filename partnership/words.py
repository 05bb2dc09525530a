"""Words written as a person would write them: "1 invoice", "2 invoices", "1 December 2026"."""


def count_of(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def long_date(day) -> str:
    """A date as a sentence writes it: "1 December 2026" (tables use "01 Dec 2026")."""
    return f"{day.day} {day:%B %Y}"
