"""How people's accounts, their second factors and the partnership's settings appear in an
audit trail (see partnership.history).

These decide who may do what and what every invoice says, so a finance officer reads
their changes beside the money's. A person's history never holds their password, and a
second factor's never its secret or recovery codes: only that one was added or removed,
and for whom.
"""

from django.urls import reverse

from .history import Audited, person
from .models import Authenticator, Partnership, User

SECOND_FACTORS = {
    Authenticator.Type.TOTP: "Authenticator app",
    Authenticator.Type.RECOVERY_CODES: "Recovery codes",
    Authenticator.Type.WEBAUTHN: "Security key",
}


def _account_opened(user) -> str:
    facts = [f"Role: {user.get_role_display()}"]
    if user.is_staff:
        facts.append("Staff: yes")
    if user.is_superuser:
        facts.append("Superuser: yes")
    if not user.is_active:
        facts.append("Active: no")
    return "; ".join(facts)


def _second_factor_removed(version) -> list[str]:
    return ["Removed from their sign-in"] if version.history_type == "-" else []


def _settings(partnership) -> str:
    return (
        f"{partnership.get_legal_form_display()}; VAT {partnership.vat_rate.normalize():f}%; "
        f"payment terms {partnership.payment_terms_days} days"
    )


USER = Audited(
    key="user",
    label="User account",
    model=User,
    name=person,
    search=("first_name", "last_name", "email"),
    labels={"is_superuser": "Superuser", "is_staff": "Staff", "is_active": "Active"},
    created=_account_opened,
    noted=lambda version: ["Password set"] if version.password_set else [],
)
SECOND_FACTOR = Audited(
    key="second_factor",
    label="Second factor",
    model=Authenticator,
    name=lambda factor: f"{SECOND_FACTORS.get(factor.type, factor.type)} for {person(factor.user)}",
    search=("user__first_name", "user__last_name", "user__email"),
    created=lambda factor: "Added to their sign-in",
    noted=_second_factor_removed,
)
PARTNERSHIP = Audited(
    key="partnership",
    label="Partnership settings",
    model=Partnership,
    name=lambda partnership: partnership.name,
    search=("name",),
    url=lambda partnership: reverse("partnership_settings"),
    labels={"payment_terms_days": "Payment terms (days)"},
    created=_settings,
)

AUDITED = (USER, SECOND_FACTOR, PARTNERSHIP)
