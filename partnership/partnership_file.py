"""The partnership file (shared/partnership-file.md): validate all of it, then load it.

Each top-level section is owned by the app that owns its data. An owner is a module
with `validate(section, checker, document)` returning cleaned plain values (or None),
and `load(cleaned, context)` that creates or updates rows matched by `code`. Nothing is
written unless the whole file is valid, and the load runs in one transaction.
"""

import datetime
import re
from dataclasses import dataclass, field
from importlib import import_module

import yaml
from django.db import transaction

from .history import recorded_as
from .money import parse_money

FORMAT = 1

# Section -> module that owns it, in load order (later sections refer to earlier ones).
SECTION_OWNERS = {
    "partnership": "partnership.partnership_sections",
    "year": "membership.partnership_sections",
    "providers": "offers.partnership_sections",
    "offers": "offers.partnership_sections",
    "evaluation": "offers.partnership_sections",
    "brokerage": "offers.partnership_sections",
    "tiers": "membership.partnership_sections",
    "costs": "finance.partnership_sections",
    "income": "finance.partnership_sections",
    "ledger": "finance.ledger_sections",
    "plan": "finance.partnership_sections",  # after the budget and the year it starts from
    "boards": "governance.partnership_sections",
    "priorities": "governance.partnership_sections",
}
REQUIRED_SECTIONS = ("partnership",)


class PartnershipFileError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Checker:
    """Collects every problem with its path in the file, e.g. `tiers[1].fee.per_pupil`."""

    problems: list = field(default_factory=list)

    def error(self, path, message):
        self.problems.append(f"{path}: {message}")

    def mapping(self, value, path, *, required=(), optional=()):
        """A mapping with exactly these keys allowed; returns it or None."""
        if not isinstance(value, dict):
            self.error(path, "must be a mapping of keys to values")
            return None
        ok = True
        for key in value:
            if key not in required and key not in optional:
                self.error(f"{path}.{key}" if path else str(key), "unknown key")
                ok = False
        for key in required:
            if key not in value or value[key] is None or value[key] == "":
                self.error(f"{path}.{key}" if path else str(key), "is required")
                ok = False
        return value if ok else None

    def sequence(self, value, path):
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return []
        return value

    def text(self, value, path, *, max_length=200, required=True):
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, "is required")
            return None
        if isinstance(value, (dict, list)):
            self.error(path, "must be text")
            return None
        text = str(value).strip()
        if len(text) > max_length:
            self.error(path, f"is longer than {max_length} characters")
            return None
        return text

    def code(self, value, path, seen=None):
        text = self.text(value, path, max_length=50)
        if text is None:
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]+", text):
            self.error(path, "must be letters, digits, - or _ only")
            return None
        if seen is not None:
            if text in seen:
                self.error(path, f"duplicate code {text!r}")
                return None
            seen.add(text)
        return text

    def money(self, value, path, *, allow_negative=False):
        if value is None or isinstance(value, (dict, list)):
            self.error(path, "not a number")
            return None
        try:
            amount = parse_money(value)
        except ValueError:
            self.error(path, "not a number")
            return None
        if amount < 0 and not allow_negative:
            self.error(path, "must not be negative")
            return None
        if amount.as_tuple().exponent < -4:
            self.error(path, "has more than 4 decimal places")
            return None
        return amount

    def number(self, value, path, *, integer=False, minimum=0):
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            self.error(path, "not a number")
            return None
        try:
            amount = parse_money(value)
        except ValueError:
            self.error(path, "not a number")
            return None
        if integer and amount != amount.to_integral_value():
            self.error(path, "must be a whole number")
            return None
        if minimum is not None and amount < minimum:
            self.error(path, f"must be at least {minimum}")
            return None
        return int(amount) if integer else amount

    def date(self, value, path):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(path, "not a date like 2026-01-15")
            return None

    def choice(self, value, path, choices):
        if value not in choices:
            self.error(path, f"must be one of {', '.join(sorted(map(str, choices)))}")
            return None
        return value


def read_document(text):
    """Parse the YAML text; a file that is not YAML is one problem, not a crash."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise PartnershipFileError([f"file: not valid YAML{where}"]) from exc
    if not isinstance(document, dict):
        raise PartnershipFileError(["file: must be a mapping with format, partnership, ..."])
    return document


def validate(document):
    """Check the whole document; return cleaned sections or raise with every problem."""
    checker = Checker()
    if document.get("format") != FORMAT:
        checker.error("format", f"must be {FORMAT}")
    for key in document:
        if key != "format" and key not in SECTION_OWNERS:
            checker.error(str(key), "unknown key")
    for key in REQUIRED_SECTIONS:
        if key not in document:
            checker.error(key, "is required")
    cleaned = {}
    for key, owner in SECTION_OWNERS.items():
        if key in document:
            module = import_module(owner)
            cleaned[key] = getattr(module, f"validate_{key}")(document[key], checker, document)
    if checker.problems:
        raise PartnershipFileError(checker.problems)
    return cleaned


def load_text(text):
    """Validate and load a partnership file's text; returns a summary of what was loaded."""
    cleaned = validate(read_document(text))
    context = {"summary": {}}
    with transaction.atomic(), recorded_as("Partnership file"):
        for key, owner in SECTION_OWNERS.items():
            if key in cleaned:
                module = import_module(owner)
                getattr(module, f"load_{key}")(cleaned[key], context)
    return context["summary"]
