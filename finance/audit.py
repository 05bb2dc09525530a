"""The audit trail finance reads: every change to schools and who acts for them,
memberships and fee schemes, the offer (prices, tiers, practitioners) and its bookings,
the budget, invoices, credit notes, payments and the ledger, minutes and decisions, and
people's accounts, second factors and the partnership's settings, newest first.

Each kind of record keeps its own history table; the trail is their union, filtered
table by table (a union cannot be filtered afterwards) and paged by the database.
"""

import datetime

from governance import history as governance_history
from membership import history as membership_history
from offers import history as offers_history
from partnership import history
from partnership import people_history as partnership_history
from schools import history as schools_history

from . import history as finance_history

AUDITED = {
    audited.key: audited
    for audited in (
        *schools_history.AUDITED,
        *membership_history.AUDITED,
        *offers_history.AUDITED,
        *finance_history.AUDITED,
        *governance_history.AUDITED,
        *partnership_history.AUDITED,
    )
}
RECORD_TYPES = [(key, audited.label) for key, audited in AUDITED.items()]
ACTIONS = {"created": "+", "changed": "~", "deleted": "-"}


def trail(
    *,
    record_type: str = "",
    who: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    search: str = "",
):
    """History rows of every audited record (or one type), filtered, newest first.

    `who` matches words of a person's name or email address; `action` is created,
    changed or deleted; `search` the record's name or number. Turn a page of rows into
    entries with `entries()`.
    """
    kinds = [AUDITED[record_type]] if record_type else AUDITED.values()
    return history.union(
        [
            history.history_rows(
                audited,
                who=who,
                action=ACTIONS.get(action, ""),
                since=since,
                until=until,
                search=search,
            )
            for audited in kinds
        ]
    )


def entries(rows) -> list[history.Entry]:
    return history.entries(rows, AUDITED)


def all_entries(rows):
    return history.in_batches(rows, AUDITED)
