"""The `costs:` and `income:` sections of the partnership file: the year's budget lines.

The lines are the budget of the file's partnership year: `year.academic_year: 2026/27`
runs 1 September 2026 to 31 August 2027, or from `year.start_month` when the file gives
one (Haringey's year starts in April). The trading account spreads each line evenly over
those months and a financial year takes the months that fall in it. Lines are matched by
code within that year; lines the file does not name are left alone.
"""

from partnership.calendars import AcademicYear, PartnershipYear
from partnership.money import money
from partnership.records import update_or_create_changed

from .ledger_sections import validate_codes
from .models import BudgetLine

CODES = ("cost_centre", "account_code", "cfr_code")  # optional on every line

COST_KINDS = (BudgetLine.Kind.CORE.value, BudgetLine.Kind.ADDITIONAL.value)


def budget_year(document, checker, path) -> PartnershipYear | None:
    """The partnership year the file budgets, from `year.academic_year` and `year.start_month`."""
    year = document.get("year") if isinstance(document, dict) else None
    text = year.get("academic_year") if isinstance(year, dict) else None
    if text is None:
        checker.error(path, "needs year.academic_year to know which year it budgets")
        return None
    try:
        return PartnershipYear(
            AcademicYear.parse(str(text)).start_year, int(year.get("start_month", 9))
        )
    except (TypeError, ValueError):
        return None  # the year section reports its own problem


def validate_costs(section, checker, document):
    path = "costs"
    year = budget_year(document, checker, path)
    seen = set()
    lines = []
    for index, item in enumerate(checker.sequence(section, path)):
        where = f"{path}[{index}]"
        data = checker.mapping(
            item,
            where,
            required=("code", "name", "kind", "quantity", "unit_cost"),
            optional=("unit", *CODES),
        )
        if data is None:
            continue
        line = {
            "code": checker.code(data["code"], f"{where}.code", seen),
            "name": checker.text(data["name"], f"{where}.name"),
            "kind": checker.choice(data["kind"], f"{where}.kind", COST_KINDS),
            "quantity": checker.number(data["quantity"], f"{where}.quantity"),
            "unit": checker.text(data.get("unit"), f"{where}.unit", max_length=30, required=False)
            or "",
            "unit_cost": checker.money(data["unit_cost"], f"{where}.unit_cost"),
            "codes": validate_codes(data, checker, where),
        }
        if None not in (line["quantity"], line["unit_cost"]):
            line["amount"] = money(line["quantity"] * line["unit_cost"])
        lines.append(line)
    income_codes = set()
    if isinstance(document.get("income"), list):
        income_codes = {
            str(item.get("code")).strip() for item in document["income"] if isinstance(item, dict)
        }
    _check_offer_cost_lines(document, checker, {line["code"] for line in lines if line["code"]})
    for index, line in enumerate(lines):
        if line["code"] and line["code"] in income_codes:
            checker.error(
                f"{path}[{index}].code", f"{line['code']!r} is also an income line's code"
            )
    return {"year": year, "lines": lines}


def _check_offer_cost_lines(document, checker, codes_in_file):
    """Each offer's `cost_line` names a cost line of this file or one already loaded."""
    offers = document.get("offers")
    for index, offer in enumerate(offers if isinstance(offers, list) else []):
        code = offer.get("cost_line") if isinstance(offer, dict) else None
        if code is None or str(code).strip() in codes_in_file:
            continue
        if not BudgetLine.objects.filter(code=str(code).strip()).exclude(kind="income").exists():
            checker.error(f"offers[{index}].cost_line", f"no cost line has the code {code!r}")


def validate_income(section, checker, document):
    path = "income"
    year = budget_year(document, checker, path)
    seen = set()
    lines = []
    for index, item in enumerate(checker.sequence(section, path)):
        where = f"{path}[{index}]"
        data = checker.mapping(item, where, required=("code", "name", "amount"), optional=CODES)
        if data is None:
            continue
        lines.append(
            {
                "code": checker.code(data["code"], f"{where}.code", seen),
                "name": checker.text(data["name"], f"{where}.name"),
                "amount": checker.money(data["amount"], f"{where}.amount"),
                "codes": validate_codes(data, checker, where),
            }
        )
    return {"year": year, "lines": lines}


def _load(cleaned, context, summary_key, kind_of):
    year = cleaned["year"]
    for line in cleaned["lines"]:
        update_or_create_changed(
            BudgetLine,
            budget_year=str(year),
            code=line["code"],
            defaults={
                "starts_on": year.starts_on,
                "ends_on": year.ends_on,
                "name": line["name"],
                "kind": kind_of(line),
                "quantity": line.get("quantity", 1),
                "unit": line.get("unit", ""),
                "unit_cost": line.get("unit_cost", line["amount"]),
                "amount": line["amount"],
                # The line's codes as the file writes them: one it leaves out is cleared.
                **{key: line["codes"].get(key, "") for key in CODES},
            },
        )
    context["summary"][summary_key] = (
        f"{len(cleaned['lines'])} lines for {year} ({year.starts_on:%B %Y} to {year.ends_on:%B %Y})"
    )


def load_costs(cleaned, context):
    _load(cleaned, context, "costs", lambda line: line["kind"])


def load_income(cleaned, context):
    _load(cleaned, context, "income", lambda line: BudgetLine.Kind.INCOME)
