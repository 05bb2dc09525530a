"""The `partnership:` section of the partnership file."""

from .models import Partnership
from .records import save_if_changed


def validate_partnership(section, checker, document):
    path = "partnership"
    data = checker.mapping(
        section,
        path,
        required=("name", "local_authority"),
        optional=(
            "vat_rate",
            "invoice_prefix",
            "credit_note_prefix",
            "payment_terms_days",
            "legal_form",
        ),
    )
    if data is None:
        return None
    la = checker.mapping(
        data["local_authority"], f"{path}.local_authority", required=("code", "name")
    )
    cleaned = {"name": checker.text(data["name"], f"{path}.name")}
    if la is not None:
        code = str(la["code"]).strip()
        if not code.isdigit() or len(code) != 3:
            checker.error(f"{path}.local_authority.code", "must be a three-digit LA code")
        cleaned["la_code"] = code
        cleaned["la_name"] = checker.text(
            la["name"], f"{path}.local_authority.name", max_length=100
        )
    # A file that does not say is a trading account inside the council (partnership-file.md).
    cleaned["legal_form"] = Partnership.LegalForm.LA_TRADING_ACCOUNT
    if data.get("legal_form") is not None:
        cleaned["legal_form"] = checker.choice(
            data["legal_form"], f"{path}.legal_form", Partnership.LegalForm.values
        )
    if "vat_rate" in data:
        rate = checker.money(data["vat_rate"], f"{path}.vat_rate")
        if rate is not None and rate > 100:
            checker.error(f"{path}.vat_rate", "must be a percentage between 0 and 100")
        cleaned["vat_rate"] = rate
    for key in ("invoice_prefix", "credit_note_prefix"):
        if key in data:
            cleaned[key] = checker.text(data[key], f"{path}.{key}", max_length=10)
    if "payment_terms_days" in data:
        cleaned["payment_terms_days"] = checker.number(
            data["payment_terms_days"], f"{path}.payment_terms_days", integer=True, minimum=1
        )
    return cleaned


def load_partnership(cleaned, context):
    partnership = Partnership.current()
    if partnership is None:
        partnership = Partnership.objects.create(**cleaned)
    else:
        save_if_changed(partnership, cleaned)
    context["partnership"] = partnership
    context["summary"]["partnership"] = partnership.name
