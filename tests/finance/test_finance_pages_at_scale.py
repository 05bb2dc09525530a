"""The finance pages ask the database the same questions however many records there are."""

import csv
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.services import issue_credit_note, record_journal, record_payment

from .conftest import booking_charge

pytestmark = pytest.mark.django_db


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def add_records(issue, school, numbers):
    """Invoices, each part paid and part credited, and journals."""
    for n in numbers:
        invoice = issue(school, lines=[booking_charge(f"booking:{n}", "1", "100")])
        record_payment(
            invoice=invoice, amount="40.00", received_on=datetime.date(2026, 10, 1), method="bacs"
        )
        issue_credit_note(
            invoice=invoice,
            amounts={invoice.lines.get().pk: Decimal("10.00")},
            reason="Shorter visit",
            issue_date=datetime.date(2026, 10, 2),
        )
        record_journal(
            side="expenditure",
            amount="25",
            entry_date=datetime.date(2026, 10, 3),
            description=f"Room hire {n}",
            reason="Room",
        )


@pytest.mark.parametrize("name", ["finance:trading_account", "finance:invoices", "finance:ledger"])
def test_a_finance_list_asks_the_same_queries_for_more_records(
    name, client_for, finance_officer, issue, school_a
):
    client = client_for(finance_officer)
    add_records(issue, school_a, range(1))
    few = queries_for(client, reverse(name))
    add_records(issue, school_a, range(1, 6))
    assert len(queries_for(client, reverse(name))) == len(few)


def test_a_trading_account_download_works_the_account_out_once(
    client_for, finance_officer, issue, school_a
):
    issue(school_a)
    for view in ({}, {"view": "months"}):
        queries = queries_for(
            client_for(finance_officer),
            reverse("finance:trading_account"),
            {"year": "2026-27", "format": "csv"} | view,
        )
        assert sum("finance_ledgerentry" in sql for sql in queries) == 1
        # The reconciliation is for the page, not the download.
        assert not any("finance_invoice" in sql for sql in queries)


def test_the_scenarios_ask_the_same_queries_for_more_schools(client_for, coordinator):
    from tests.factories import SchoolFactory

    params = {
        "financial_year": "2026-27",
        "discounted_sales_percent": "50",
        "basic_fee": "1000",
        "standard_fee": "1500",
        "standard_take_up": "30",
        "advanced_fee": "3000",
        "advanced_take_up": "10",
        "tier_sales_percent": "40",
        "core_per_pupil": "5",
    }
    for category in ("primary", "secondary", "special", "other"):
        params |= {f"take_up_{category}": "100", f"fee_{category}": "1000"}
    client = client_for(coordinator)
    SchoolFactory(pupils=100)
    few = queries_for(client, reverse("finance:scenarios"), params)
    for category in ("primary", "secondary", "special", "nursery", ""):
        SchoolFactory(pupils=200, category=category)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("finance:scenarios"), params | {"format": "csv"})
    # Six schools of 1,100 pupils (two primary, and two others: nursery and no category):
    # option 1 at £1,000 a school, option 3 at £5 a pupil.
    option_1, _, option_3 = csv.reader(page.content.decode().splitlines()[1:])
    assert option_1[1:3] == ["6.0", "6000.00"]
    assert option_3[1:3] == ["6.0", "5500.00"]
    assert len(queries_for(client, reverse("finance:scenarios"), params)) == len(few)
    assert len(queries) <= len(few)
