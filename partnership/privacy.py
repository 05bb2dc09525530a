"""How long each kind of personal data is kept, and applying that to the records.

Each rule names a kind of personal data and its period. The periods are ASSUMPTIONS until
the partnership's data protection officer sets them; they follow common LA retention
schedules. Financial records are never touched here: an invoice names a school, not a
person, and is kept for six years after its financial year by the council's rules.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from finance.receipts import remove_payer_names
from offers.services_bookings import anonymise_delegates
from schools.services import anonymise_contacts_who_left
from schools.services_access import delete_old_access_requests

from . import personal_data
from .models import User


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    description: str
    years: int

    def cutoff(self, today: datetime.date) -> datetime.date:
        try:
            return today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.years, day=28)


# Assumption: a delegate's name is needed to run the session and answer questions about
# it for two academic years after; the booking and its charge are kept without it.
DELEGATE_NAMES = RetentionRule(
    kind="delegate_names",
    description="Names of delegates booked on course sessions, after the session",
    years=2,
)
# Assumption: a request for access is kept a year after it was decided (or made, if never
# decided): long enough to answer "why was I refused?" and to notice repeated requests;
# after that the account, if one was made, and its school contact say who the person is.
ACCESS_REQUESTS = RetentionRule(
    kind="access_requests",
    description="Requests for an account, a year after they were decided",
    years=1,
)
# Assumption: an account switched off is kept two years, long enough to answer questions
# about what the person did (their changes stay in the trail, naming the anonymised account).
DEACTIVATED_ACCOUNTS = RetentionRule(
    kind="deactivated_accounts",
    description="Accounts switched off, two years after their last sign-in or change",
    years=2,
)
# Assumption: a bank file's lines are needed until they are checked and the year's books
# are closed; a year after upload the payer's name goes, the amount and reference stay.
BANK_PAYER_NAMES = RetentionRule(
    kind="bank_payer_names",
    description="Payers' names on the lines of uploaded bank files, a year after upload",
    years=1,
)
# Assumption: a school contact who left is named for two years after, long enough to answer
# questions about what they agreed or were sent; then only their role and dates stay.
CONTACTS_WHO_LEFT = RetentionRule(
    kind="contacts_who_left",
    description="Names and email addresses of school contacts, two years after they left",
    years=2,
)
RULES = (
    DELEGATE_NAMES,
    ACCESS_REQUESTS,
    DEACTIVATED_ACCOUNTS,
    BANK_PAYER_NAMES,
    CONTACTS_WHO_LEFT,
)


def apply_retention_rules(today: datetime.date | None = None) -> dict[str, int]:
    """Anonymise what has passed its period; returns how many records each rule changed."""
    today = today or datetime.date.today()
    return {
        DELEGATE_NAMES.kind: anonymise_delegates(sessions_before=DELEGATE_NAMES.cutoff(today)),
        ACCESS_REQUESTS.kind: delete_old_access_requests(before=ACCESS_REQUESTS.cutoff(today)),
        DEACTIVATED_ACCOUNTS.kind: erase_deactivated_accounts(
            before=_start_of(DEACTIVATED_ACCOUNTS.cutoff(today))
        ),
        BANK_PAYER_NAMES.kind: remove_payer_names(
            uploaded_before=_start_of(BANK_PAYER_NAMES.cutoff(today))
        ),
        CONTACTS_WHO_LEFT.kind: anonymise_contacts_who_left(
            left_before=CONTACTS_WHO_LEFT.cutoff(today)
        ),
    }


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def erase_deactivated_accounts(*, before: datetime.datetime) -> int:
    """Erase (anonymise) accounts switched off with no sign-in and no change to the account
    since `before`, as a coordinator's erasure would. An account still needed (a seat, a
    planned deployment) is left for a coordinator to settle; it is tried again each day."""
    last_change = (
        User.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    )
    stale = (
        User.objects.filter(is_active=False)
        .exclude(email__endswith="@" + personal_data.ERASED_DOMAIN)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=before))
        .annotate(last_change=Subquery(last_change))
        .filter(Q(last_change__isnull=True) | Q(last_change__lt=before))
    )
    erased = 0
    for user in stale.order_by("pk"):
        # By the account alone: a delegate who shares their name may be someone else.
        subject = personal_data.Subject(user=user, email=user.email)
        try:
            personal_data.erase(subject, by=None, reason="Retention: account switched off")
        except personal_data.ErasureRefused:
            continue
        erased += 1
    return erased
