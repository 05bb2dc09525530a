"""Financial years and dates a person types are held to a sane range: a year like 9999-00 or
0-01 answers 404 or a form error naming the field, never a server error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from finance import rules, services
from finance.models import CreditNote, Invoice, Job, LedgerEntry, Payment
from tests.partnership.api_world import token_client

from .conftest import membership_charge

pytestmark = pytest.mark.django_db

BAD_YEARS = ["9999-00", "0-01", "0000-01", "1999-00"]


@pytest.fixture
def finance(client_for, finance_officer):
    client = client_for(finance_officer)
    client.raise_request_exception = False  # a crash answers 500 here, as it would live
    return client


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("name", ["finance:trading_account", "finance:costing"])
def test_a_report_for_an_impossible_financial_year_is_not_found(finance, name, year):
    assert finance.get(reverse(name), {"year": year}).status_code == 404


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_report_pdf_for_an_impossible_year_is_not_found(finance, year):
    url = reverse("finance:report_pdf", args=["trading-account"])
    assert finance.post(url, {"parameter": year}).status_code == 404


@pytest.mark.parametrize("year", ["9999/00", "0/01", "1999/00"])
def test_break_even_for_an_impossible_academic_year_is_a_form_error(finance, year):
    response = finance.get(reverse("finance:break_even"), {"academic_year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["academic_year"] == [
        "Enter an academic year like 2026/27"
    ]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_scenarios_for_an_impossible_financial_year_is_a_form_error(finance, year):
    response = finance.get(reverse("finance:scenarios"), {"financial_year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["financial_year"] == [
        "Enter a financial year like 2026/27"
    ]


@pytest.mark.parametrize("year", ["9999-00", "0-01"])
def test_the_api_refuses_an_impossible_financial_year_naming_the_field(finance_officer, year):
    client = token_client(finance_officer)
    client.raise_request_exception = False
    response = client.get("/api/v1/trading-account/", {"financial_year": year})
    assert response.status_code == 400
    assert "financial_year" in response.json()


# --- Dates on financial records --------------------------------------------------------------

TODAY = timezone.localdate()
EARLIEST, LATEST = rules.financial_date_range(TODAY)
# Two years back is always in the financial year before last: outside the range.
TWO_YEARS_BACK = TODAY.replace(year=TODAY.year - 2, day=min(TODAY.day, 28))
FAR_OFF = [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), TWO_YEARS_BACK]


def test_the_range_is_this_financial_year_and_the_one_either_side():
    assert rules.financial_date_range(datetime.date(2026, 12, 2)) == (
        datetime.date(2025, 4, 1),
        datetime.date(2028, 3, 31),
    )
    assert rules.financial_date_range(datetime.date(2027, 3, 31))[1] == datetime.date(2028, 3, 31)
    assert rules.financial_date_range(datetime.date(2027, 4, 1))[1] == datetime.date(2029, 3, 31)


@pytest.mark.parametrize(
    "day, ok",
    [
        (datetime.date(2025, 4, 1), True),
        (datetime.date(2028, 3, 31), True),
        (datetime.date(2025, 3, 31), False),
        (datetime.date(2028, 4, 1), False),
        (datetime.date(1, 1, 1), False),
        (datetime.date(9999, 12, 31), False),
    ],
)
def test_a_financial_date_is_refused_outside_the_range_naming_the_field(day, ok):
    problem = rules.financial_date_problem(day, datetime.date(2026, 12, 2), "The date received")
    if ok:
        assert problem == ""
    else:
        assert problem == (
            "The date received must be between 1 April 2025 and 31 March 2028 "
            "(the financial years 2025-26 to 2027-28)"
        )


@pytest.fixture
def invoice(issue, school_a):
    return issue(school_a, issue_date=TODAY)


@pytest.mark.parametrize("day", FAR_OFF)
def test_a_payment_far_off_is_a_form_error_on_the_date_received(finance, invoice, day):
    response = finance.post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {"amount": "10", "received_on": day.isoformat(), "method": "bacs"},
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["received_on"]
    assert error.startswith("The date received must be between")
    assert not Payment.objects.exists()


def test_a_payment_received_today_is_recorded(finance, invoice):
    response = finance.post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {"amount": "10", "received_on": TODAY.isoformat(), "method": "bacs"},
    )
    assert response.status_code == 302
    assert Payment.objects.get().received_on == TODAY


@pytest.mark.parametrize("day", [*FAR_OFF, TODAY])
def test_a_journal_far_off_is_a_form_error_on_its_date(finance, day):
    response = finance.post(
        reverse("finance:journal"),
        {
            "side": "expenditure",
            "entry_date": day.isoformat(),
            "amount": "25.00",
            "description": "Room hire",
            "reason": "Invoice from the venue",
        },
    )
    if day == TODAY:
        assert response.status_code == 302
        assert LedgerEntry.objects.get().entry_date == TODAY
    else:
        [error] = response.context["form"].errors["entry_date"]
        assert error.startswith("The date of the journal must be between")
        assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("day", [*FAR_OFF, TODAY])
def test_a_credit_note_far_off_is_a_form_error_on_its_issue_date(finance, invoice, day):
    line = invoice.lines.get()
    response = finance.post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {
            "reason": "Fee corrected",
            "issue_date": day.isoformat(),
            f"line_{line.pk}": "10",
            "confirm": "1",
        },
    )
    if day == TODAY:
        assert response.status_code == 302
        assert CreditNote.objects.get().issue_date == TODAY
    else:
        [error] = response.context["form"].errors["issue_date"]
        assert error.startswith("The issue date must be between")
        assert not CreditNote.objects.exists()


@pytest.mark.parametrize("day", FAR_OFF)
def test_a_reversal_far_off_is_a_form_error_on_its_date(finance, finance_officer, day):
    entry = services.record_journal(
        side="expenditure", amount="5", entry_date=TODAY, description="x", reason="y"
    )
    response = finance.post(
        reverse("finance:reverse_entry", args=[entry.pk]),
        {"entry_date": day.isoformat(), "reason": "Posted twice"},
    )
    [error] = response.context["form"].errors["entry_date"]
    assert error.startswith("The date of the reversal must be between")
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("day", FAR_OFF)
def test_an_invoice_run_issued_far_off_is_a_form_error_on_its_issue_date(finance, day):
    response = finance.post(
        reverse("finance:runs"),
        {
            "annual-academic_year": "2026/27",
            "annual-issue_date": day.isoformat(),
            "annual": "1",
            "confirm": "1",
        },
    )
    [error] = response.context["annual"].errors["issue_date"]
    assert error.startswith("The issue date must be between")
    response = finance.post(
        reverse("finance:runs"),
        {"monthly-month": "2026-10", "monthly-issue_date": day.isoformat(), "monthly": "1"},
    )
    [error] = response.context["monthly"].errors["issue_date"]
    assert error.startswith("The issue date must be between")
    assert not Job.objects.exists()


def test_a_monthly_run_for_a_month_years_ago_is_a_form_error_on_the_month(finance):
    response = finance.post(reverse("finance:runs"), {"monthly-month": "0001-01", "monthly": "1"})
    [error] = response.context["monthly"].errors["month"]
    assert error.startswith("The month delivered must be between")


@pytest.mark.parametrize("day", FAR_OFF)
def test_the_services_refuse_far_off_dates_whoever_calls_them(
    partnership_record, school_a, invoice, day
):
    """A management command, a task or the API cannot get round the forms."""
    line = invoice.lines.get()
    calls = {
        "The issue date": [
            lambda: services.issue_invoice(
                school=school_a, lines=[membership_charge("m:1", "100")], issue_date=day
            ),
            lambda: services.issue_credit_note(
                invoice=invoice, amounts={line.pk: 1}, reason="x", issue_date=day
            ),
            lambda: services.run_annual_membership_invoices(
                academic_year="2026/27", issue_date=day
            ),
            lambda: services.run_monthly_bookings(month=TODAY.replace(day=1), issue_date=day),
        ],
        "The date received": [
            lambda: services.record_payment(
                invoice=invoice, amount="1", received_on=day, method="bacs"
            )
        ],
        "The date of the journal": [
            lambda: services.record_journal(
                side="income", amount="1", entry_date=day, description="x", reason="y"
            )
        ],
    }
    for field, attempts in calls.items():
        for attempt in attempts:
            with pytest.raises(services.FinanceError, match=f"^{field} must be between"):
                attempt()
    journal = services.record_journal(
        side="income", amount="1", entry_date=TODAY, description="x", reason="y"
    )
    with pytest.raises(services.FinanceError, match="^The date of the reversal must be between"):
        services.reverse_entry(entry=journal, reason="x", entry_date=day)
    assert (Invoice.objects.count(), CreditNote.objects.count(), Payment.objects.count()) == (
        1,
        0,
        0,
    )
