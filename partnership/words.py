"""Counts written as a person would write them: "1 invoice", "2 invoices"."""


def count_of(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
