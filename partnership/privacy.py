"""How long each kind of personal data is kept, and applying that to the records.

Each rule names a kind of personal data and its period. The periods are ASSUMPTIONS until
the partnership's data protection officer sets them; they follow common LA retention
schedules. Financial records are never touched here: an invoice names a school, not a
person, and is kept for six years after its financial year by the council's rules.
"""

import datetime
from dataclasses import dataclass

from offers.services_bookings import anonymise_delegates
from schools.services_access import delete_old_access_requests


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
RULES = (DELEGATE_NAMES, ACCESS_REQUESTS)


def apply_retention_rules(today: datetime.date | None = None) -> dict[str, int]:
    """Anonymise what has passed its period; returns how many records each rule changed."""
    today = today or datetime.date.today()
    return {
        DELEGATE_NAMES.kind: anonymise_delegates(sessions_before=DELEGATE_NAMES.cutoff(today)),
        ACCESS_REQUESTS.kind: delete_old_access_requests(before=ACCESS_REQUESTS.cutoff(today)),
    }
