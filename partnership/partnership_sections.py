"""The `partnership:` section of the partnership file."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

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
            "contact",
            "waiting_list_hold_hours",
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
    if data.get("contact") is not None:
        cleaned.update(validate_contact(data["contact"], checker, f"{path}.contact"))
    if "payment_terms_days" in data:
        cleaned["payment_terms_days"] = checker.number(
            data["payment_terms_days"], f"{path}.payment_terms_days", integer=True, minimum=1
        )
    if "waiting_list_hold_hours" in data:
        hours = checker.number(
            data["waiting_list_hold_hours"],
            f"{path}.waiting_list_hold_hours",
            integer=True,
            minimum=1,
        )
        if hours is not None and hours > 24 * 14:
            checker.error(f"{path}.waiting_list_hold_hours", "must be 336 hours (14 days) or fewer")
        cleaned["waiting_list_hold_hours"] = hours
    return cleaned


def validate_contact(section, checker, path) -> dict:
    """Who schools contact, as the public pages show it; each part optional, and what the
    file leaves out of `contact:` is cleared (the section says all there is to say)."""
    data = checker.mapping(section, path, optional=("email", "telephone", "address"))
    if data is None:
        return {}
    cleaned = {"contact_email": "", "contact_telephone": "", "contact_address": ""}
    if data.get("email") not in (None, ""):
        email = checker.text(data["email"], f"{path}.email", max_length=254)
        try:
            validate_email(email)
        except ValidationError:
            checker.error(f"{path}.email", "not an email address")
        else:
            cleaned["contact_email"] = email.lower()
    if data.get("telephone") not in (None, ""):
        cleaned["contact_telephone"] = (
            checker.text(data["telephone"], f"{path}.telephone", max_length=30) or ""
        )
    if data.get("address") not in (None, ""):
        cleaned["contact_address"] = (
            checker.text(data["address"], f"{path}.address", max_length=500) or ""
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
