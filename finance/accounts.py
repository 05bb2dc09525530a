"""Which account code, cost centre and budget line each kind of ledger entry posts to.

The council's finance system decides the codes, so they are configuration: a deployment
may override any of them with the `FINANCE_ACCOUNTS` setting, e.g.

    FINANCE_ACCOUNTS = {"deployment_cost": {"account_code": "E4100", "budget_line": "s2s"}}

`budget_line` is the code of the budget line (in the entry's financial year) whose
actuals the entry counts towards; entries without one show as "not budgeted".
"""

from django.conf import settings

DEFAULT_ACCOUNTS = {
    "membership": {"account_code": "I1000", "cost_centre": "SIP01", "budget_line": ""},
    "sales": {"account_code": "I1100", "cost_centre": "SIP01", "budget_line": ""},
    # Support the LA commissions: invoiced to the LA (income account "commissioned");
    # `la_commissioned` is the ledger entry type it was recorded as before it was invoiced.
    "commissioned": {
        "account_code": "I1200",
        "cost_centre": "SIP02",
        "budget_line": "la-commissioning",
    },
    "la_commissioned": {
        "account_code": "I1200",
        "cost_centre": "SIP02",
        "budget_line": "la-commissioning",
    },
    "deployment_cost": {"account_code": "E4100", "cost_centre": "SIP01", "budget_line": ""},
    "task_group_day": {
        "account_code": "E4200",
        "cost_centre": "SIP01",
        "budget_line": "task-and-finish",
    },
    "journal": {"account_code": "J9000", "cost_centre": "SIP01", "budget_line": ""},
}


def account_for(key: str) -> dict:
    """The account settings for an income account or ledger entry type."""
    configured = getattr(settings, "FINANCE_ACCOUNTS", {})
    merged = dict(DEFAULT_ACCOUNTS.get(key, DEFAULT_ACCOUNTS["journal"]))
    merged.update(configured.get(key, {}))
    return merged


def account_key(entry) -> str:
    """The configuration key of a ledger entry: its income account, else its type."""
    if entry.income_account:
        return entry.income_account
    if entry.entry_type in ("credit_note_line", "invoice_line"):
        return "sales"
    if entry.entry_type == "reversal" and entry.reverses_id:
        return "journal"
    return entry.entry_type
