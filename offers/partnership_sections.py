"""The `providers:` and `offers:` sections of the partnership file (partnership-file.md).

Validation only reads: it returns plain cleaned values and reports every problem with
its path. Loading runs after the whole file is valid, inside the loader's transaction,
and matches rows by code so loading the same file twice changes nothing.
"""

from decimal import Decimal

from schools.rules import Category

from .models import EvaluationQuestion, Offer, Practitioner, Provider
from .rules import ALL_SCHOOLS, LA, MEMBER, NON_MEMBER, UNIT_COST
from .selectors_catalogue import offer_code_clashes_with_page
from .services_brokerage import set_day_rates
from .services_catalogue import upsert_offer, upsert_provider

PROVIDER_KEYS = ("code", "name")
PROVIDER_OPTIONAL = ("contact_email",)
OFFER_REQUIRED = ("code", "name", "strand", "provider", "unit", "price")
OFFER_OPTIONAL = (
    "unit_cost",
    "capacity",
    "description",
    "phases",
    "vat_rate",
    "cancellation",
    "cost_line",
)
PENNY_EXPONENT = -2


def _summary(created, updated):
    return f"{created} created, {updated} updated"


def validate_providers(section, checker, document):
    cleaned = []
    seen = set()
    for index, entry in enumerate(checker.sequence(section, "providers")):
        path = f"providers[{index}]"
        data = checker.mapping(entry, path, required=PROVIDER_KEYS, optional=PROVIDER_OPTIONAL)
        if data is None:
            continue
        provider = {
            "code": checker.code(data["code"], f"{path}.code", seen),
            "name": checker.text(data["name"], f"{path}.name"),
        }
        if "contact_email" in data:
            email = checker.text(data["contact_email"], f"{path}.contact_email", max_length=254)
            if email is not None and "@" not in email:
                checker.error(f"{path}.contact_email", "not an email address")
            provider["contact_email"] = email or ""
        cleaned.append(provider)
    return cleaned


def load_providers(cleaned, context):
    created = updated = 0
    for provider in cleaned:
        _, was_created = upsert_provider(**provider)
        created += was_created
        updated += not was_created
    context["summary"]["providers"] = _summary(created, updated)


def _price(value, path, checker):
    """An amount for every school, or {category: amount}; returns {category or '': Decimal}."""
    if isinstance(value, dict):
        if not value:
            checker.error(path, "must name at least one school category")
            return None
        prices = {}
        for category, amount in value.items():
            if category not in Category.values:
                checker.error(
                    f"{path}.{category}",
                    f"not a school category (one of {', '.join(sorted(Category.values))})",
                )
                continue
            prices[category] = _amount(amount, f"{path}.{category}", checker)
        return prices if None not in prices.values() else None
    amount = _amount(value, path, checker)
    return None if amount is None else {ALL_SCHOOLS: amount}


def _amount(value, path, checker):
    amount = checker.money(value, path)
    if amount is not None and amount.as_tuple().exponent < PENNY_EXPONENT:
        # A price is charged as written: a fraction of a penny cannot be invoiced.
        checker.error(path, "must be in whole pence (at most 2 decimal places)")
        return None
    return amount


def _provider_codes(document):
    providers = document.get("providers")
    if not isinstance(providers, list):
        return set()
    return {str(p["code"]).strip() for p in providers if isinstance(p, dict) and p.get("code")}


def validate_offers(section, checker, document):
    cleaned = []
    seen = set()
    in_file = _provider_codes(document)
    for index, entry in enumerate(checker.sequence(section, "offers")):
        path = f"offers[{index}]"
        data = checker.mapping(entry, path, required=OFFER_REQUIRED, optional=OFFER_OPTIONAL)
        if data is None:
            continue
        code = checker.code(data["code"], f"{path}.code", seen)
        if code is not None and offer_code_clashes_with_page(code):
            checker.error(f"{path}.code", f"{code!r} is the address of a page of the portal")
        offer = {
            "code": code,
            "name": checker.text(data["name"], f"{path}.name"),
            "strand": checker.choice(data["strand"], f"{path}.strand", Offer.Strand.values),
            "unit": checker.choice(data["unit"], f"{path}.unit", Offer.Unit.values),
            "provider": _provider(data["provider"], f"{path}.provider", checker, in_file),
            "description": checker.text(
                data.get("description"), f"{path}.description", max_length=5000, required=False
            )
            or "",
            "capacity": None,
            "phases": _phases(data.get("phases"), f"{path}.phases", checker),
            "vat_rate": None,
        }
        if data.get("cost_line") is not None:
            # The finance section checks that the code names a cost line.
            offer["cost_line"] = checker.code(data["cost_line"], f"{path}.cost_line") or ""
        if data.get("capacity") is not None:
            offer["capacity"] = checker.number(
                data["capacity"], f"{path}.capacity", integer=True, minimum=0
            )
        if data.get("vat_rate") is not None:
            rate = checker.money(data["vat_rate"], f"{path}.vat_rate")
            if rate is not None and rate > 100:
                checker.error(f"{path}.vat_rate", "must be a percentage between 0 and 100")
            offer["vat_rate"] = rate
        offer["prices_by_kind"] = _prices(data, path, checker)
        if data.get("cancellation") is not None:
            offer["cancellation"] = _cancellation(
                data["cancellation"], f"{path}.cancellation", checker
            )
        cleaned.append(offer)
    return cleaned


def _provider(value, path, checker, in_file):
    code = checker.code(value, path)
    if code is None:
        return None
    if code not in in_file and not Provider.objects.filter(code=code).exists():
        checker.error(path, f"unknown provider {code!r}: not in providers and not already loaded")
        return None
    return code


def _phases(value, path, checker):
    if value is None:
        return []
    phases = []
    for index, category in enumerate(checker.sequence(value, path)):
        if category not in Category.values:
            checker.error(
                f"{path}[{index}]",
                f"not a school category (one of {', '.join(sorted(Category.values))})",
            )
        elif category not in phases:
            phases.append(category)
    return phases


def _cancellation(value, path, checker):
    """{free_until_days_before: N, charge_percent: P}: free until N days before, then P%."""
    data = checker.mapping(
        value,
        path,
        required=("free_until_days_before", "charge_percent"),
        optional=("no_show_charge",),
    )
    if data is None:
        return None
    days = checker.number(
        data["free_until_days_before"], f"{path}.free_until_days_before", integer=True, minimum=0
    )
    percent = checker.number(data["charge_percent"], f"{path}.charge_percent", minimum=0)
    if percent is not None and percent > 100:
        checker.error(f"{path}.charge_percent", "must be a percentage between 0 and 100")
        percent = None
    if percent is not None and percent.as_tuple().exponent < -2:
        checker.error(f"{path}.charge_percent", "has more than 2 decimal places")
        percent = None
    no_show = Decimal("0")
    if data.get("no_show_charge") is not None:
        no_show = checker.money(data["no_show_charge"], f"{path}.no_show_charge")
    if days is None or percent is None or no_show is None:
        return None
    return {"free_until_days": days, "charge_percent": percent, "no_show_charge": no_show}


def _prices(data, path, checker):
    prices_by_kind = {MEMBER: {}, NON_MEMBER: {}, LA: {}, UNIT_COST: {}}
    price = checker.mapping(
        data["price"], f"{path}.price", required=(MEMBER,), optional=(NON_MEMBER, LA)
    )
    if price is not None:
        prices_by_kind[MEMBER] = _price(price[MEMBER], f"{path}.price.{MEMBER}", checker) or {}
        # `la` (what the LA pays when it commissions the offer) left out: the member price.
        for kind in (NON_MEMBER, LA):
            if price.get(kind) is not None:
                prices_by_kind[kind] = _price(price[kind], f"{path}.price.{kind}", checker) or {}
    if data.get(UNIT_COST) is not None:
        prices_by_kind[UNIT_COST] = _price(data[UNIT_COST], f"{path}.{UNIT_COST}", checker) or {}
    return prices_by_kind


def load_offers(cleaned, context):
    created = updated = 0
    providers = {
        p.code: p for p in Provider.objects.filter(code__in={o["provider"] for o in cleaned})
    }
    for entry in cleaned:
        fields = dict(entry)
        fields["provider"] = providers[entry["provider"]]
        _, was_created = upsert_offer(**fields)
        created += was_created
        updated += not was_created
    context["summary"]["offers"] = _summary(created, updated)


EVALUATION_QUESTIONS_MAX = 8


def validate_evaluation(section, checker, document):
    """evaluation: {questions: [text, ...]}: what every CPD evaluation asks, rated 1 to 5."""
    data = checker.mapping(section, "evaluation", optional=("questions",))
    if data is None or data.get("questions") is None:
        return None
    questions = []
    path = "evaluation.questions"
    items = checker.sequence(data["questions"], path)
    if isinstance(data["questions"], list) and not items:
        checker.error(path, "give at least one question")
    if len(items) > EVALUATION_QUESTIONS_MAX:
        checker.error(path, f"at most {EVALUATION_QUESTIONS_MAX} questions: keep it short")
    for index, item in enumerate(items):
        text = checker.text(item, f"{path}[{index}]", max_length=300)
        if text and text.casefold() in {q.casefold() for q in questions}:
            checker.error(f"{path}[{index}]", "asked twice")
        elif text:
            questions.append(text)
    return questions


def load_evaluation(cleaned, context):
    """Set the questions as written, in order; a file without them leaves them alone.
    Evaluations already returned keep the questions they were asked."""
    if cleaned is None:
        return
    current = list(EvaluationQuestion.objects.values_list("text", flat=True))
    if current != cleaned:
        EvaluationQuestion.objects.all().delete()
        EvaluationQuestion.objects.bulk_create(
            EvaluationQuestion(position=position, text=text)
            for position, text in enumerate(cleaned, start=1)
        )
    context["summary"]["evaluation"] = f"{len(cleaned)} questions"


def validate_brokerage(section, checker, document):
    """brokerage: {partnership_share: "20", day_rates: {SLE: "350", NLE: "600"}}.

    A practitioner's day by designation, and the share of it (%) the partnership keeps;
    the practitioner's home school is paid the rest for each day delivered.
    """
    path = "brokerage"
    data = checker.mapping(section, path, required=("partnership_share", "day_rates"))
    if data is None:
        return None
    share = checker.money(data["partnership_share"], f"{path}.partnership_share")
    if share is not None and share > 100:
        checker.error(f"{path}.partnership_share", "must be a percentage between 0 and 100")
    rates = {}
    rates_data = checker.mapping(
        data["day_rates"], f"{path}.day_rates", optional=Practitioner.Designation.values
    )
    for designation, value in (rates_data or {}).items():
        rates[designation] = checker.money(value, f"{path}.day_rates.{designation}")
    if rates_data is not None and not rates:
        checker.error(f"{path}.day_rates", "give the day rate of at least one designation")
    return {"partnership_share": share, "day_rates": rates}


def load_brokerage(cleaned, context):
    """Set the day rates the file names, each with the file's share; designations it does
    not name keep theirs. Days already delivered keep the figures frozen on them."""
    if cleaned is None:
        return
    set_day_rates(
        rates=cleaned["day_rates"],
        partnership_percent=cleaned["partnership_share"],
        reason="Partnership file",
    )
    context["summary"]["brokerage"] = (
        f"{len(cleaned['day_rates'])} day rates, the partnership keeps "
        f"{cleaned['partnership_share'].normalize():f}%"
    )
