"""The partnership's calendars.

Academic year (1 September to 31 August) for memberships and the offer, written
"2026/27". LA financial year (1 April to 31 March) for the trading account and
invoices, written "2026-27" in files, exports, commands, the API and invoice numbers, and
"2026/27" on pages, like an academic year (`partnership.words.financial_year`); a person may
type either. A partnership year is the academic year's name with the
partnership's own start month (September unless its file says otherwise: Haringey's
runs from April): the period its memberships and budget cover.
"""

import re
from dataclasses import dataclass
from datetime import date

ACADEMIC_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")
FINANCIAL_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")
# As a person may type one into a page: as pages write it (2026/27) or as files do (2026-27).
TYPED_FINANCIAL_YEAR_RE = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2})$")
# Years a person may name: a typo like 0001 or 9999 is refused rather than stored (or turned
# into a date Python cannot hold: FY 9999-00 would end in the year 10000).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _start_year(match) -> int | None:
    """The year a matched "2026/27" or "2026-27" starts in, or None when it is not a real one."""
    if not match:
        return None
    start = int(match[1])
    if not FIRST_YEAR <= start <= LAST_YEAR or (start + 1) % 100 != int(match[2]):
        return None
    return start


@dataclass(frozen=True)
class AcademicYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> "AcademicYear":
        start = _start_year(ACADEMIC_YEAR_RE.match(str(text).strip()))
        if start is None:
            raise ValueError(f"not an academic year like 2026/27: {text!r}")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> "AcademicYear":
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def next(self) -> "AcademicYear":
        return AcademicYear(self.start_year + 1)

    def months(self) -> list[date]:
        """First day of each of the twelve months, September first."""
        return [first_of_month(self.starts_on, offset) for offset in range(12)]

    def __str__(self):
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class FinancialYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> "FinancialYear":
        start = _start_year(FINANCIAL_YEAR_RE.match(str(text).strip()))
        if start is None:
            raise ValueError(f"not a financial year like 2026-27: {text!r}")
        return cls(start)

    @classmethod
    def parse_typed(cls, text: str) -> "FinancialYear":
        """A financial year typed into a page or its address: "2026/27", as pages show it,
        or "2026-27", as files and exports write it. Files and commands use `parse`."""
        start = _start_year(TYPED_FINANCIAL_YEAR_RE.match(str(text).strip()))
        if start is None:
            raise ValueError(f"not a financial year like 2026/27: {text!r}")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> "FinancialYear":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def months(self) -> list[date]:
        """First day of each of the twelve months, April first."""
        return [first_of_month(self.starts_on, offset) for offset in range(12)]

    def __str__(self):
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def on_pages(self) -> str:
        """As pages write it, the same way as an academic year: "2026/27"."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


@dataclass(frozen=True)
class PartnershipYear:
    """Twelve months from the first of `start_month` in `start_year`, named like the
    academic year it is loaded as: 2026/27 starting in April runs 1 April 2026 to 31 March
    2027; starting in September (the default), 1 September 2026 to 31 August 2027."""

    start_year: int
    start_month: int = 9

    def __post_init__(self):
        if not 1 <= self.start_month <= 12:
            raise ValueError(f"a start month is 1 to 12, not {self.start_month!r}")

    @property
    def starts_on(self) -> date:
        return date(self.start_year, self.start_month, 1)

    @property
    def ends_on(self) -> date:
        following = first_of_month(self.starts_on, 12)
        return date.fromordinal(following.toordinal() - 1)

    def months(self) -> list[date]:
        return [first_of_month(self.starts_on, offset) for offset in range(12)]

    def __str__(self):
        return str(AcademicYear(self.start_year))


def months_from(first: date, last: date) -> int:
    """How many months from `first`'s month to `last`'s month, counting both (Jan -> Aug: 8)."""
    return (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1


def first_of_month(day: date, offset: int = 0) -> date:
    index = day.year * 12 + (day.month - 1) + offset
    return date(index // 12, index % 12 + 1, 1)


def months_left_in_academic_year(joining: date) -> int:
    """Months from the joining month to August, counting the joining month (Jan -> 8)."""
    return months_from(joining, AcademicYear.containing(joining).ends_on)
