"""Which account code, cost centre and budget line each kind of ledger entry posts to.

The council's finance system decides the codes, so they are configuration: a deployment
may override any of them with the `FINANCE_ACCOUNTS` setting, e.g.

    FINANCE_ACCOUNTS = {"deployment_cost": {"account_code": "E4100", "budget_line": "s2s"}}

`budget_line` is the code of the budget line (in the entry's financial year) whose
actuals the entry counts towards; entries without one show as "not budgeted".

`cfr_code` is the DfE Consistent Financial Reporting code of the line (I-codes for
income, E-codes for expenditure). The partnership file may set every code per kind
(`ledger.accounts`) and per budget line (`costs:`/`income:` lines); see `codes_for`.
"""

from django.conf import settings

# ASSUMPTION: the CFR codes below are the nearest CFR headings; no seed gives them. Fees and
# sales to schools are I08 (income from facilities and services), what the LA pays is I07
# (other grants and payments), practitioner and task-and-finish days are E27 (bought-in
# professional services: curriculum). A journal has none of its own (its budget line's).
DEFAULT_ACCOUNTS = {
    "membership": {
        "account_code": "I1000",
        "cost_centre": "SIP01",
        "cfr_code": "I08",
        "budget_line": "",
    },
    "sales": {
        "account_code": "I1100",
        "cost_centre": "SIP01",
        "cfr_code": "I08",
        "budget_line": "",
    },
    # Support the LA commissions: invoiced to the LA (income account "commissioned");
    # `la_commissioned` is the ledger entry type it was recorded as before it was invoiced.
    "commissioned": {
        "account_code": "I1200",
        "cost_centre": "SIP02",
        "cfr_code": "I07",
        "budget_line": "la-commissioning",
    },
    "la_commissioned": {
        "account_code": "I1200",
        "cost_centre": "SIP02",
        "cfr_code": "I07",
        "budget_line": "la-commissioning",
    },
    "deployment_cost": {
        "account_code": "E4100",
        "cost_centre": "SIP01",
        "cfr_code": "E27",
        "budget_line": "",
    },
    # A practitioner's home school paid its share of the day rate (issue 16).
    "practitioner_payment": {
        "account_code": "E4150",
        "cost_centre": "SIP01",
        "cfr_code": "E27",
        "budget_line": "",
    },
    "task_group_day": {
        "account_code": "E4200",
        "cost_centre": "SIP01",
        "cfr_code": "E27",
        "budget_line": "task-and-finish",
    },
    "journal": {"account_code": "J9000", "cost_centre": "SIP01", "cfr_code": "", "budget_line": ""},
}
CODE_KEYS = ("cost_centre", "account_code", "cfr_code")
# The kinds `ledger.accounts` in the partnership file may give codes for.
ACCOUNT_KEYS = tuple(DEFAULT_ACCOUNTS)


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


def codes_for(entry, file_accounts: dict | None = None) -> dict:
    """The council's cost centre, account (subjective) code and CFR code an entry posts to.

    Its budget line's own codes where the partnership file gives them, else those the
    file's `ledger.accounts` gives its kind, else FINANCE_ACCOUNTS, else the defaults. A
    reversal posts to the codes of the entry it reverses, so the two cancel out in the
    council's ledger. (Needs `reverses__budget_line` and `budget_line` selected.)
    """
    source = entry.reverses if entry.entry_type == "reversal" and entry.reverses_id else entry
    key = account_key(source)
    account = account_for(key)
    codes = {name: account.get(name, "") for name in CODE_KEYS}
    codes.update({k: v for k, v in (file_accounts or {}).get(key, {}).items() if v})
    line = source.budget_line
    if line is not None:
        codes.update({name: getattr(line, name) for name in CODE_KEYS if getattr(line, name)})
    return codes
