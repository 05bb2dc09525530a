"""The `ledger:` section of the partnership file: the layout of the file the council's
finance system imports, and the codes each kind of entry posts to
(docs/partnership-file-extensions.md). Also the codes a `costs:` or `income:` line may
carry (finance/partnership_sections.py)."""

import re

from partnership.records import save_if_changed

from .accounts import ACCOUNT_KEYS, CODE_KEYS
from .ledger_layout import CREDIT_SIGNS, DATE_FORMATS, DEFAULT_LAYOUT, FIELDS, Column, Layout
from .models import LedgerLayout

CFR_CODE = re.compile(r"[A-Z]{1,2}\d{2}")
MONEY_FIELDS = {"amount", "debit", "credit"}


def validate_codes(data, checker, path) -> dict:
    """`cost_centre`, `account_code` and `cfr_code` where given (each optional)."""
    codes = {}
    for key in CODE_KEYS:
        if data.get(key) in (None, ""):
            continue
        text = checker.text(data[key], f"{path}.{key}", max_length=10 if key == "cfr_code" else 30)
        if text is None:
            continue
        if key == "cfr_code" and not CFR_CODE.fullmatch(text.upper()):
            checker.error(f"{path}.{key}", "must be a CFR code like I08 or E27")
            continue
        codes[key] = text.upper() if key == "cfr_code" else text
    return codes


def validate_ledger(section, checker, document):
    path = "ledger"
    data = checker.mapping(
        section, path, optional=("columns", "date_format", "credits", "accounts")
    )
    if data is None:
        return None
    layout = {
        "date_format": DEFAULT_LAYOUT.date_format,
        "credits": DEFAULT_LAYOUT.credits,
        "columns": DEFAULT_LAYOUT.columns,
    }
    if data.get("date_format") is not None:
        layout["date_format"] = checker.choice(
            str(data["date_format"]).strip().lower(), f"{path}.date_format", DATE_FORMATS
        )
    if data.get("credits") is not None:
        layout["credits"] = checker.choice(
            str(data["credits"]).strip().lower(), f"{path}.credits", CREDIT_SIGNS
        )
    if data.get("columns") is not None:
        layout["columns"] = _columns(data["columns"], checker, f"{path}.columns")
    accounts = {}
    if data.get("accounts") is not None:
        given = checker.mapping(data["accounts"], f"{path}.accounts", optional=ACCOUNT_KEYS)
        for key, codes in (given or {}).items():
            where = f"{path}.accounts.{key}"
            if checker.mapping(codes, where, optional=CODE_KEYS) is not None:
                accounts[key] = validate_codes(codes, checker, where)
    if None in layout.values():
        return None
    return {
        "layout": Layout(tuple(layout["columns"]), layout["date_format"], layout["credits"]),
        "accounts": accounts,
    }


def _columns(section, checker, path):
    columns, headings = [], set()
    for index, item in enumerate(checker.sequence(section, path)):
        where = f"{path}[{index}]"
        data = checker.mapping(item, where, required=("heading",), optional=("field", "value"))
        if data is None:
            continue
        heading = checker.text(data["heading"], f"{where}.heading", max_length=100)
        if heading is not None and heading.lower() in headings:
            checker.error(f"{where}.heading", f"duplicate heading {heading!r}")
        headings.add((heading or "").lower())
        if ("field" in data) == ("value" in data):
            checker.error(where, "needs either field (what the column takes) or value (a text)")
            continue
        if "field" in data:
            field = checker.choice(data["field"], f"{where}.field", FIELDS)
            columns.append(Column(heading or "", field=field or ""))
        else:
            value = "" if data["value"] is None else str(data["value"]).strip()
            if len(value) > 100:
                checker.error(f"{where}.value", "is longer than 100 characters")
            columns.append(Column(heading or "", value=value))
    fields = {column.field for column in columns}
    if section and not (fields & {"amount"} or {"debit", "credit"} <= fields):
        checker.error(path, "needs an amount column, or a debit and a credit column")
    if isinstance(section, list) and not section:
        checker.error(path, "needs at least one column")
    return columns


def load_ledger(cleaned, context):
    """The file's `ledger:` says all there is: what it leaves out is the default."""
    values = {**cleaned["layout"].as_dict(), "accounts": cleaned["accounts"]}
    layout = LedgerLayout.objects.first()
    if layout is None:
        LedgerLayout.objects.create(**values)
    else:
        save_if_changed(layout, values)
    context["summary"]["ledger"] = (
        f"{len(cleaned['layout'].columns)} columns, dates {cleaned['layout'].date_format}, "
        f"credits {cleaned['layout'].credits}"
    )
