"""The `year:` and `tiers:` sections of the partnership file (partnership-file.md).

Validation only reads and reports every problem with its path; loading runs after the
whole file is valid, inside the loader's transaction, matching rows by code (tiers) or
academic year, so loading the same file twice changes nothing.
"""

from partnership.calendars import AcademicYear
from schools.rules import Category

from . import rules
from .services import load_fee_scheme, load_membership_year, load_tier

TIER_REQUIRED = ("code", "name", "fee")
TIER_OPTIONAL = ("description", "includes")
FEE_KEYS = (rules.PER_PUPIL, "minimum", "maximum", rules.BY_CATEGORY, rules.BY_PUPILS, rules.FLAT)


def validate_year(section, checker, document):
    path = "year"
    data = checker.mapping(
        section,
        path,
        required=("academic_year", "census_date"),
        optional=("start_month", "buy_back"),
    )
    if data is None:
        return None
    cleaned = {}
    if "start_month" in data:
        month = checker.number(data["start_month"], f"{path}.start_month", integer=True, minimum=1)
        if month is not None and month > 12:
            checker.error(f"{path}.start_month", "a month is 1 (January) to 12 (December)")
        elif month is not None:
            cleaned["start_month"] = int(month)
    try:
        cleaned["academic_year"] = str(AcademicYear.parse(str(data["academic_year"])))
    except ValueError:
        checker.error(f"{path}.academic_year", "not an academic year like 2026/27")
    cleaned["census_date"] = checker.date(data["census_date"], f"{path}.census_date")
    if "buy_back" in data:
        window = checker.mapping(
            data["buy_back"], f"{path}.buy_back", required=("opens", "closes"), optional=()
        )
        if window is not None:
            opens = checker.date(window["opens"], f"{path}.buy_back.opens")
            closes = checker.date(window["closes"], f"{path}.buy_back.closes")
            if opens and closes and closes < opens:
                checker.error(f"{path}.buy_back.closes", "must be on or after opens")
            else:
                cleaned["buy_back_opens"], cleaned["buy_back_closes"] = opens, closes
    return cleaned


def load_year(cleaned, context):
    # A file without start_month keeps (or gets) the September year.
    year, created = load_membership_year(**{"start_month": 9, **cleaned})
    context["membership_year"] = year
    context["summary"]["year"] = f"{year.academic_year} {'created' if created else 'updated'}"


def validate_tiers(section, checker, document):
    from offers.models import Offer

    if "year" not in document:
        # A fee scheme belongs to a year; without the section it goes to the current year.
        from .models import MembershipYear

        if MembershipYear.objects.current() is None:
            checker.error("tiers", "needs a year section: no membership year is loaded yet")
    # The offers section is checked on its own; here it only names the codes it adds.
    offers = document.get("offers")
    offers_in_file = {
        str(offer["code"]).strip()
        for offer in (offers if isinstance(offers, list) else [])
        if isinstance(offer, dict) and offer.get("code") is not None
    }
    cleaned = []
    seen = set()
    for index, entry in enumerate(checker.sequence(section, "tiers")):
        path = f"tiers[{index}]"
        data = checker.mapping(entry, path, required=TIER_REQUIRED, optional=TIER_OPTIONAL)
        if data is None:
            continue
        tier = {
            "code": checker.code(data["code"], f"{path}.code", seen),
            "name": checker.text(data["name"], f"{path}.name"),
            "description": checker.text(
                data.get("description"), f"{path}.description", max_length=5000, required=False
            ),
            "fee": _fee(data["fee"], f"{path}.fee", checker),
            "includes": None,
        }
        if "includes" in data:
            tier["includes"] = _includes(
                data["includes"], f"{path}.includes", checker, offers_in_file, Offer
            )
        cleaned.append(tier)
    return cleaned


def _fee(value, path, checker):
    data = checker.mapping(value, path, optional=FEE_KEYS)
    if data is None:
        return None
    kinds = [kind for kind in rules.FEE_KINDS if kind in data]
    if len(kinds) != 1:
        checker.error(path, "must have exactly one of per_pupil, by_category, by_pupils, flat")
        return None
    kind = kinds[0]
    for key in ("minimum", "maximum"):
        if key in data and kind != rules.PER_PUPIL:
            checker.error(f"{path}.{key}", "only a per_pupil fee has a minimum or maximum")
            return None
    fee = {"kind": kind}
    if kind == rules.PER_PUPIL:
        fee["rate"] = checker.money(data[kind], f"{path}.per_pupil")
        fee["minimum"] = (
            checker.money(data["minimum"], f"{path}.minimum") if "minimum" in data else None
        )
        fee["maximum"] = (
            checker.money(data["maximum"], f"{path}.maximum") if "maximum" in data else None
        )
        if (
            fee["minimum"] is not None
            and fee["maximum"] is not None
            and fee["minimum"] > fee["maximum"]
        ):
            checker.error(f"{path}.minimum", "must not be more than the maximum")
    elif kind == rules.FLAT:
        fee["flat_amount"] = checker.money(data[kind], f"{path}.flat")
    elif kind == rules.BY_CATEGORY:
        fee["category_amounts"] = _by_category(data[kind], f"{path}.by_category", checker)
    else:
        fee["bands"] = _bands(data[kind], f"{path}.by_pupils", checker)
    return fee


def _by_category(value, path, checker):
    if not isinstance(value, dict) or not value:
        checker.error(path, "must map school categories to amounts")
        return None
    amounts = {}
    for category, amount in value.items():
        if category not in Category.values:
            checker.error(
                f"{path}.{category}",
                f"not a school category (one of {', '.join(sorted(Category.values))})",
            )
            continue
        amount = checker.money(amount, f"{path}.{category}")
        if amount is not None:
            amounts[category] = str(amount)
    return amounts


def _bands(value, path, checker):
    entries = checker.sequence(value, path)
    if isinstance(value, list) and not entries:
        checker.error(path, "must have at least one band")
    bands = []
    previous = None
    for index, entry in enumerate(entries):
        band_path = f"{path}[{index}]"
        data = checker.mapping(entry, band_path, required=("fee",), optional=("up_to",))
        if data is None:
            continue
        fee = checker.money(data["fee"], f"{band_path}.fee")
        up_to = None
        if data.get("up_to") is None:
            if index != len(entries) - 1:
                checker.error(f"{band_path}.up_to", "is required on every band but the last")
        else:
            up_to = checker.number(data["up_to"], f"{band_path}.up_to", integer=True, minimum=0)
            if up_to is not None and previous is not None and up_to <= previous:
                checker.error(
                    f"{band_path}.up_to", f"must be more than the band before ({previous})"
                )
            previous = up_to if up_to is not None else previous
        if fee is not None:
            bands.append({"up_to": up_to, "fee": str(fee)})
    return bands


def _includes(value, path, checker, offers_in_file, offer_model):
    includes = []
    seen = set()
    for index, entry in enumerate(checker.sequence(value, path)):
        item_path = f"{path}[{index}]"
        data = checker.mapping(entry, item_path, required=("offer", "units"))
        if data is None:
            continue
        code = checker.code(data["offer"], f"{item_path}.offer", seen)
        if (
            code is not None
            and code not in offers_in_file
            and not offer_model.objects.filter(code=code).exists()
        ):
            checker.error(
                f"{item_path}.offer",
                f"unknown offer {code!r}: not in offers and not already loaded",
            )
            code = None
        units = checker.number(data["units"], f"{item_path}.units", minimum=0)
        if units is not None and units.as_tuple().exponent < -1:
            checker.error(f"{item_path}.units", "at most one decimal place (e.g. 1.5)")
            units = None
        if units is not None and units <= 0:
            checker.error(f"{item_path}.units", "must be more than 0")
            units = None
        if code is not None and units is not None:
            includes.append({"offer": code, "units": units})
    return includes


def load_tiers(cleaned, context):
    from .models import MembershipYear

    year = context.get("membership_year") or MembershipYear.objects.current()
    created = updated = 0
    for order, entry in enumerate(cleaned):
        tier, was_created = load_tier(
            code=entry["code"],
            name=entry["name"],
            description=entry["description"],
            order=order,
            includes=entry["includes"],
        )
        load_fee_scheme(tier=tier, year=year, **entry["fee"])
        created += was_created
        updated += not was_created
    context["summary"]["tiers"] = (
        f"{created} created, {updated} updated, fees for {year.academic_year}"
    )
