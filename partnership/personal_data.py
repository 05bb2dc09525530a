"""A person's personal data: everything the portal holds about them (subject access) and
erasing it (anonymising) at their request or when its period has passed.

A person is a `Subject`: someone with an account (`user`), or someone named on records
without one (a delegate, a board seat's holder, a nominee), found by name or email.

Each app says what it holds in its own `personal_data.py`:
`held(subject) -> list[Section]`, `refusals(subject, today) -> list[str]` (why the person
cannot be erased yet: a live role the partnership still needs) and `erase(subject) -> int`
(the records it changed). This module gathers them, as navigation gathers the apps' menus,
and records each request without storing the person's data again.

Erasing anonymises, never deletes: financial records keep pointing at the (anonymised)
account that issued or recorded them, so the books and the audit trail stay whole; only
the name, email and other personal fields go, from the records and from their history.
"""

import datetime
import json
import secrets
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .history import ACTIONS, recorded_as
from .models import PersonalDataRequest, User

APPS = ("schools", "offers", "membership", "finance", "governance")
ERASED_DOMAIN = "erased.invalid"
ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"
ERASED_REASON = "Personal data erased"


@dataclass(frozen=True)
class Subject:
    """Whose data: an account, or a name and/or email address found on records."""

    user: User | None = None
    name: str = ""
    email: str = ""

    @classmethod
    def of(cls, user: User) -> "Subject":
        return cls(user=user, name=user.get_full_name(), email=user.email)

    @property
    def described(self) -> str:
        if self.user is not None:
            return str(self.user)
        return " ".join(
            part for part in (self.name, f"({self.email})" if self.email else "") if part
        )

    def named(self, name_field: str, email_field: str | None = None) -> Q:
        """Records naming this person by name (exactly, any case) or email address."""
        found = Q(pk__in=[])
        if self.name.strip():
            found |= Q(**{f"{name_field}__iexact": self.name.strip()})
        if email_field and self.email.strip():
            found |= Q(**{f"{email_field}__iexact": self.email.strip()})
        return found


@dataclass
class Section:
    """One kind of record holding the person's data, as rows of plain values."""

    title: str
    records: list[dict] = field(default_factory=list)
    # What erasing does to these records, in words for the check page.
    on_erasure: str = ""


def _app_modules():
    for app in APPS:
        module_name = f"{app}.personal_data"
        try:
            yield import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def held(subject: Subject) -> list[Section]:
    """Everything the portal holds about the person, a section per kind of record; the
    queries are a fixed number per kind, however many records the person has."""
    sections = _account_sections(subject) if subject.user is not None else []
    for module in _app_modules():
        sections.extend(module.held(subject))
    if subject.user is not None:
        sections.append(_audit_rows(subject.user))
    return [section for section in sections if section.records]


def export(subject: Subject, *, by: User) -> bytes:
    """The subject access export as JSON, and a record that it was made (not what it held)."""
    sections = held(subject)
    document = {
        "exported_at": timezone.now(),
        "person": {"name": subject.name, "email": subject.email},
        "sections": [{"title": s.title, "records": s.records} for s in sections],
    }
    PersonalDataRequest.objects.create(
        action=PersonalDataRequest.Action.EXPORT,
        user=subject.user,
        records=sum(len(s.records) for s in sections),
        made_by=by,
    )
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def export_pdf(subject: Subject, *, by: User) -> bytes:
    """The subject access export as a PDF to send the person: the same sections and
    records as the JSON, as tables; recorded as an export, as the JSON is."""
    from django.template.loader import render_to_string

    from .models import Partnership
    from .pdf import html_to_pdf

    sections = held(subject)
    html = render_to_string(
        "partnership/pdf/personal_data.html",
        {
            "subject": subject,
            "sections": sections,
            "exported_at": timezone.localtime(),
            "partnership": Partnership.current(),
        },
    )
    content = html_to_pdf(html)
    PersonalDataRequest.objects.create(
        action=PersonalDataRequest.Action.EXPORT,
        user=subject.user,
        records=sum(len(s.records) for s in sections),
        made_by=by,
    )
    return content


def refusals(subject: Subject, *, by: User | None = None, today=None) -> list[str]:
    """Why this person cannot be erased yet; none means they can."""
    today = today or datetime.date.today()
    found = []
    if subject.user is not None:
        if by is not None and subject.user.pk == by.pk:
            found.append("You cannot erase your own account: ask another coordinator")
        found.extend(_account_refusals(subject.user))
    if subject.user is None and not (subject.name.strip() or subject.email.strip()):
        found.append("Enter the person's name or email address")
    for module in _app_modules():
        found.extend(module.refusals(subject, today))
    return found


class ErasureRefused(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def erase(subject: Subject, *, by: User | None, reason: str = ERASED_REASON) -> int:
    """Anonymise the person everywhere, in one transaction, and record that it was done.

    Refused (nothing changes) while they hold a role the partnership still needs. Their
    records stay (an invoice they issued, a booking they made) pointing at the anonymised
    account; names, email addresses and the like are replaced, in the records and in
    their history rows. The record of the erasure names who did it, when, and the
    anonymised account, never the erased data. Returns how many records changed.
    """
    reasons = refusals(subject, by=by)
    if reasons:
        raise ErasureRefused(reasons)
    with transaction.atomic(), recorded_as(reason):
        changed = sum(module.erase(subject) for module in _app_modules())
        if subject.user is not None:
            changed += _erase_account(subject.user)
        PersonalDataRequest.objects.create(
            action=PersonalDataRequest.Action.ERASURE,
            user=subject.user,
            records=changed,
            made_by=by,
        )
    return changed


def _account_refusals(user: User) -> list[str]:
    from .roles import Role

    if not user.is_active or user.role not in (Role.COORDINATOR, Role.FINANCE):
        return []
    others = User.objects.filter(role=user.role, is_active=True).exclude(pk=user.pk)
    if others.exists():
        return []
    return [
        f"{user} is the only active {user.get_role_display().lower()}: invite another "
        "before erasing this account"
    ]


def _account_sections(subject: Subject) -> list[Section]:
    from allauth.account.models import EmailAddress

    from .models import ApiToken, Authenticator, ReminderSent

    user = subject.user
    account = {
        "first name": user.first_name,
        "last name": user.last_name,
        "email address": user.email,
        "job title": user.job_title,
        "role": user.get_role_display(),
        "active": user.is_active,
        "joined": user.date_joined,
        "last signed in": user.last_login,
    }
    addresses = [
        {"email address": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("email")
    ]
    factors = [
        {"second factor": a.get_type_display(), "added": a.created_at, "last used": a.last_used_at}
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]
    tokens = [
        {"name": t.name, "created": t.created_at, "expires": t.expires_at, "revoked": t.revoked_at}
        for t in ApiToken.objects.filter(user=user).order_by("created_at")
    ]
    reminders = [
        {"reminder": r.kind, "about": r.about, "sent to": r.email, "sent": r.sent_at}
        for r in ReminderSent.objects.filter(email__iexact=user.email).order_by("sent_at")
    ]
    versions = [
        {
            "when": row["history_date"],
            "what": ACTIONS[row["history_type"]],
            "first name": row["first_name"],
            "last name": row["last_name"],
            "email address": row["email"],
            "job title": row["job_title"],
            "role": row["role"],
            "active": row["is_active"],
        }
        for row in User.history.filter(id=user.pk)
        .order_by("history_date", "history_id")
        .values(
            "history_date",
            "history_type",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role",
            "is_active",
        )
    ]
    return [
        Section(
            "Account", [account], "Name, email address and job title replaced; signing in ends"
        ),
        Section("Email addresses for signing in", addresses, "Removed"),
        Section("Second factors", factors, "Removed"),
        Section("Reporting API tokens", tokens, "Removed"),
        Section("Reminder emails sent to them", reminders, "Removed"),
        Section("Versions of the account (audit trail)", versions, "Name and email replaced"),
    ]


def _history_models():
    """Every history table simple-history keeps (one per audited kind of record)."""
    return [
        model
        for model in apps.get_models()
        if getattr(model, "instance_type", None) is not None and hasattr(model, "history_user_id")
    ]


def _audit_rows(user: User) -> Section:
    """The changes this person made, from every history table: one query a table."""
    rows = []
    for history in _history_models():
        label = history.instance_type._meta.verbose_name
        for row in (
            history.objects.filter(history_user_id=user.pk)
            .order_by("history_date", "history_id")
            .values("history_date", "history_type", "history_change_reason")
        ):
            rows.append(
                {
                    "when": row["history_date"],
                    "record": label,
                    "what": ACTIONS[row["history_type"]],
                    "reason": row["history_change_reason"] or "",
                }
            )
    rows.sort(key=lambda row: row["when"])
    return Section(
        "Changes they made (audit trail)",
        rows,
        "Kept, pointing at the anonymised account, so the trail still shows what was done",
    )


def _erase_account(user: User) -> int:
    from allauth.account.models import EmailAddress

    from .models import ApiToken, Authenticator, CalendarFeed, ReminderChoice, ReminderSent

    if is_erased(user):
        return 0
    old_email = user.email
    anonymous = {
        "first_name": ERASED_FIRST_NAME,
        "last_name": ERASED_LAST_NAME,
        # Random, so the trail tells erased people apart without saying who they were.
        "email": f"erased-{secrets.token_hex(6)}@{ERASED_DOMAIN}",
        "job_title": "",
    }
    for name, value in anonymous.items():
        setattr(user, name, value)
    # Signing in ends: inactive, and a new password hash ends any session still open.
    user.is_active = False
    user.set_unusable_password()
    user.save()
    # The history's earlier versions of the account held the same fields: scrub them too.
    User.history.filter(id=user.pk).update(**anonymous)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    ReminderChoice.objects.filter(user=user).delete()
    # Which reminders went to their address: kept so none is sent twice, useless once the
    # address is gone.
    ReminderSent.objects.filter(email__iexact=old_email).delete()
    return 1
