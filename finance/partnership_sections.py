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


PLAN_YEAR_KEYS = ("la_contribution", "members", "fee_uplift_percent", "cost_uplift_percent")


def _percent(checker, value, path):
    from .forms import UPLIFT_HIGHEST, UPLIFT_LOWEST

    amount = checker.number(value, path, minimum=UPLIFT_LOWEST)
    if amount is not None and amount > UPLIFT_HIGHEST:
        checker.error(path, f"must be at most {UPLIFT_HIGHEST}")
        return None
    if amount is not None and amount.as_tuple().exponent < -1:
        checker.error(path, "has more than 1 decimal place")
        return None
    return amount


def validate_plan(section, checker, document):
    """`plan:`: a three-year plan started from the file's year (docs/partnership-file-
    extensions.md): its name, optionally its starting members and fees, and up to three
    years of LA contribution, members and uplifts."""
    from .forms import MOST_MEMBERS

    path = "plan"
    year = budget_year(document, checker, path)
    data = checker.mapping(
        section,
        path,
        required=("name", "years"),
        optional=("starting_members", "starting_fees", "notes"),
    )
    if data is None:
        return None
    cleaned = {
        "year": year,
        "name": checker.text(data["name"], f"{path}.name", max_length=120),
        "notes": checker.text(data.get("notes"), f"{path}.notes", max_length=2000, required=False),
        "years": [],
    }
    if "starting_members" in data:
        cleaned["starting_members"] = checker.number(
            data["starting_members"], f"{path}.starting_members", integer=True
        )
    if "starting_fees" in data:
        cleaned["starting_fees"] = checker.money(data["starting_fees"], f"{path}.starting_fees")
    years = checker.sequence(data["years"], f"{path}.years")
    if not 1 <= len(years) <= 3:
        checker.error(f"{path}.years", "must list one to three years, year 1 first")
    for index, item in enumerate(years[:3]):
        where = f"{path}.years[{index}]"
        given = checker.mapping(item, where, optional=PLAN_YEAR_KEYS)
        if given is None:
            continue
        values = {}
        if "la_contribution" in given:
            values["la_contribution"] = checker.money(
                given["la_contribution"], f"{where}.la_contribution"
            )
        if "members" in given:
            values["members"] = checker.number(given["members"], f"{where}.members", integer=True)
            if values["members"] is not None and values["members"] > MOST_MEMBERS:
                checker.error(f"{where}.members", f"must be at most {MOST_MEMBERS}")
        for key in ("fee_uplift_percent", "cost_uplift_percent"):
            if key in given:
                values[key] = _percent(checker, given[key], f"{where}.{key}")
        cleaned["years"].append(values)
    return cleaned


def load_plan(cleaned, context):
    """Start the plan once: a plan of that name already saved is the portal's, changed
    there since, so reloading the file leaves it as it is."""
    from . import plans
    from .models import Plan

    if cleaned is None:
        return
    name = cleaned["name"]
    if Plan.objects.filter(name__iexact=name).exists():
        context["summary"]["plan"] = f"{name}: already saved, left as it is"
        return
    plan = plans.start_plan(name=name, base_year=str(cleaned["year"]), file_years=cleaned["years"])
    changed = False
    for key in ("starting_members", "starting_fees", "notes"):
        if cleaned.get(key) is not None:
            setattr(plan, key, cleaned[key])
            changed = True
    if changed:
        plan.save()
        # A year that did not give its members takes the starting members given here.
        for year, given in zip(plan.years.all(), cleaned["years"] + [{}] * 3, strict=False):
            if "members" not in given and plan.starting_members != year.members:
                year.members = plan.starting_members
                year.save()
    context["summary"]["plan"] = f"{name}: started from {plan.base_year}"
