"""Pure rules about schools, from their GIAS record. No database here."""

import re
from dataclasses import dataclass

from django.db import models


class Category(models.TextChoices):
    """The category fee schemes and prices are set by (partnership-file.md)."""

    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SIXTEEN_PLUS = "sixteen_plus", "16 plus"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"


PHASE_CATEGORIES = {
    "nursery": Category.NURSERY,
    "primary": Category.PRIMARY,
    "middle deemed primary": Category.PRIMARY,
    "secondary": Category.SECONDARY,
    "middle deemed secondary": Category.SECONDARY,
    "all-through": Category.ALL_THROUGH,
    "all through": Category.ALL_THROUGH,
    "16 plus": Category.SIXTEEN_PLUS,
}


def school_category(*, establishment_type: str, type_group: str, phase: str) -> str | None:
    """A school's category, or None when nothing decides it (e.g. phase "Not applicable").

    Special when the type group is "Special schools" or the type name contains
    "special"; alternative provision for pupil referral units and AP academies;
    otherwise from the phase.
    """
    kind = (establishment_type or "").strip().lower()
    group = (type_group or "").strip().lower()
    if group == "special schools" or "special" in kind:
        return Category.SPECIAL
    if "pupil referral" in kind or "alternative provision" in kind:
        return Category.ALTERNATIVE_PROVISION
    return PHASE_CATEGORIES.get((phase or "").strip().lower())


class Governance(models.TextChoices):
    """Who runs the school: decides internal recharge or external invoice, and board balance."""

    COMMUNITY = "community", "Community"
    VOLUNTARY_AIDED = "voluntary_aided", "Voluntary aided"
    VOLUNTARY_CONTROLLED = "voluntary_controlled", "Voluntary controlled"
    FOUNDATION = "foundation", "Foundation"
    ACADEMY = "academy", "Academy or free school"
    OTHER = "other", "Other"


def school_governance(*, establishment_type: str, type_group: str) -> str:
    kind = (establishment_type or "").strip().lower()
    group = (type_group or "").strip().lower()
    if "academ" in kind or "free school" in kind or group in ("academies", "free schools"):
        return Governance.ACADEMY
    if "voluntary aided" in kind:
        return Governance.VOLUNTARY_AIDED
    if "voluntary controlled" in kind:
        return Governance.VOLUNTARY_CONTROLLED
    if "foundation" in kind:
        return Governance.FOUNDATION
    if "community" in kind or group == "local authority maintained schools":
        return Governance.COMMUNITY
    return Governance.OTHER


def is_maintained(governance: str) -> bool:
    """Maintained schools belong to the LA and are charged by internal recharge."""
    return governance in (
        Governance.COMMUNITY,
        Governance.VOLUNTARY_AIDED,
        Governance.VOLUNTARY_CONTROLLED,
        Governance.FOUNDATION,
    )


OPEN_GIAS_STATUSES = ("open", "open, but proposed to close")


def school_status(gias_status: str) -> str:
    """'open' while GIAS says the school is open (even if proposed to close), else 'closed'.

    A school only "proposed to open" has no pupils to serve yet, so it counts as closed.
    """
    return "open" if (gias_status or "").strip().lower() in OPEN_GIAS_STATUSES else "closed"


# --- Finding a school by what a visitor types -------------------------------------------------

URN_PATTERN = re.compile(r"\d{6}")
# A postcode's outward code (UB8, SW1A), optionally with some or all of the inward code.
POSTCODE_PREFIX = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?(?: ?\d[A-Z]{0,2})?")
# Fewer letters than this match too many names to be worth listing (and a trigram index
# cannot narrow them down).
MIN_NAME_LENGTH = 3


@dataclass(frozen=True)
class SchoolSearch:
    """What a visitor typed, read as a URN, the start of a postcode, or part of a name."""

    kind: str  # "urn", "postcode", "name", or "" when there is nothing to search for
    value: str
    problem: str = ""


def read_school_search(text: str) -> SchoolSearch:
    """Six digits are a URN; the start of a UK postcode (letters then a digit: "UB8",
    "ub8 3pj", "UB83PJ") is a postcode, written upper case with its one space; anything
    else is part of the school's name, at least MIN_NAME_LENGTH characters."""
    text = " ".join((text or "").split())
    if not text:
        return SchoolSearch("", "")
    if URN_PATTERN.fullmatch(text):
        return SchoolSearch("urn", text)
    squeezed = text.upper().replace(" ", "")
    if POSTCODE_PREFIX.fullmatch(squeezed) or POSTCODE_PREFIX.fullmatch(text.upper()):
        # A full postcode typed without its space: the inward code is the last three.
        if " " not in text and len(squeezed) >= 5 and squeezed[-3].isdigit():
            return SchoolSearch("postcode", f"{squeezed[:-3]} {squeezed[-3:]}")
        return SchoolSearch("postcode", text.upper())
    if len(text) < MIN_NAME_LENGTH:
        return SchoolSearch(
            "", text, f"Enter at least {MIN_NAME_LENGTH} letters of the school's name"
        )
    return SchoolSearch("name", text)
