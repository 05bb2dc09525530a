"""Reads from the apps governance depends on, through their selectors only.

A partnership may not run every part of the portal (or an app may not yet offer a
selector); governance then falls back to what the register alone can tell."""

import datetime
from importlib import import_module

from partnership.calendars import AcademicYear


def optional_selector(module_name: str, name: str):
    """The named function of another app's selectors module, or None when absent."""
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    return getattr(module, name, None)


def academic_year(on: datetime.date) -> str:
    """The membership app's current year, else the academic year containing the date."""
    current = optional_selector("membership.selectors", "current_year")
    year = current() if current else None
    return year.academic_year if year else str(AcademicYear.containing(on))
