"""Dates nobody would enter are refused, and credit notes and annual runs are checked
(count and total shown) before anything is issued."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.models import Job, Payment
from finance.services import FinanceError, record_payment, run_monthly_bookings

pytestmark = pytest.mark.django_db


def test_a_payment_dated_after_today_is_refused_naming_the_date(issue, school_a):
    invoice = issue(school_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(FinanceError, match="date received cannot be after today"):
        record_payment(invoice=invoice, amount="100", received_on=tomorrow, method="bacs")
    assert Payment.objects.count() == 0


def test_a_payment_dated_today_is_recorded(issue, school_a):
    invoice = issue(school_a)
    record_payment(invoice=invoice, amount="100", received_on=timezone.localdate(), method="bacs")
    assert Payment.objects.get().received_on == timezone.localdate()


def test_the_payment_page_names_the_date_field_when_it_is_ahead(
    client_for, finance_officer, issue, school_a
):
    invoice = issue(school_a)
    ahead = timezone.localdate() + datetime.timedelta(days=183)
    response = client_for(finance_officer).post(
        reverse("finance:record_payment", args=[invoice.pk]),
        {"amount": "100", "received_on": ahead.isoformat(), "method": "bacs"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_received_on"' in page  # the error summary links to the field
    today = timezone.localdate()
    assert f"The date received cannot be after today ({today.day} {today:%B %Y})" in page
    assert Payment.objects.count() == 0


def test_the_payment_date_is_a_date_picker_named_when_missing_or_wrong(
    client_for, finance_officer, issue, school_a
):
    invoice = issue(school_a)
    client = client_for(finance_officer)
    url = reverse("finance:record_payment", args=[invoice.pk])
    assert 'type="date" name="received_on"' in client.get(url).content.decode()
    for typed, message in [
        ("", "Enter the date received"),
        ("31/02/2026", "The date received must be a real date, like 27 January 2027"),
    ]:
        response = client.post(url, {"amount": "100", "received_on": typed, "method": "bacs"})
        assert response.context["form"].errors["received_on"] == [message]
    assert Payment.objects.count() == 0


def _next_month():
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def test_a_monthly_run_for_a_month_not_started_is_refused_with_the_reason(partnership_record):
    month = _next_month()
    with pytest.raises(FinanceError, match=f"{month:%B %Y} has not started yet"):
        run_monthly_bookings(month=month, issue_date=timezone.localdate())


def test_the_runs_page_refuses_a_future_month_and_starts_no_job(client_for, finance_officer):
    month = _next_month()
    response = client_for(finance_officer).post(
        reverse("finance:runs"), {"monthly-month": f"{month:%Y-%m}", "monthly": "1"}
    )
    assert f"{month:%B %Y} has not started yet" in response.content.decode()
    assert Job.objects.count() == 0


def test_the_current_month_can_be_run(partnership_record):
    assert run_monthly_bookings(month=timezone.localdate(), issue_date=timezone.localdate()) == []


def test_a_credit_note_is_checked_with_its_total_before_it_is_issued(
    client_for, finance_officer, issue, school_a
):
    from finance.models import CreditNote

    invoice = issue(school_a)
    line = invoice.lines.get()
    client = client_for(finance_officer)
    url = reverse("finance:issue_credit_note", args=[invoice.pk])
    form = {f"line_{line.pk}": "150", "reason": "Fee recalculated", "issue_date": "2026-10-01"}
    check = client.post(url, form)
    page = check.content.decode()
    assert check.status_code == 200
    assert "Check the credit note before it is issued" in page
    assert '<strong id="credit-total">£150.00</strong>' in page and "Fee recalculated" in page
    assert not CreditNote.objects.exists()
    change = client.post(url, {**form, "confirm": "1", "change": "1"})
    assert change.status_code == 200 and 'value="150"' in change.content.decode()
    assert not CreditNote.objects.exists()
    assert client.post(url, {**form, "confirm": "1"}).status_code == 302
    assert CreditNote.objects.get().gross_total == D("150.00")


def test_a_credit_note_check_page_refuses_what_the_issue_would_refuse(
    client_for, finance_officer, issue, school_a
):
    from finance.models import CreditNote

    invoice = issue(school_a)
    line = invoice.lines.get()
    response = client_for(finance_officer).post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {f"line_{line.pk}": "1300", "reason": "Too much", "issue_date": "2026-10-01"},
    )
    assert "you can credit at most £1,200.00" in response.content.decode()
    assert not CreditNote.objects.exists()


def test_the_annual_run_is_checked_with_its_count_and_total_before_it_starts(
    client_for, finance_officer, join, school_a, school_b, head_a, head_b
):
    from finance.services import run_annual_membership_invoices

    join(school_a, head_a)  # 420 pupils at £2: £840
    join(school_b, head_b)  # 210 pupils at £2: £420
    client = client_for(finance_officer)
    form = {"annual-academic_year": "2026/27", "annual-issue_date": "2026-09-01", "annual": "1"}
    page = client.post(reverse("finance:runs"), form).content.decode()
    assert '<strong id="run-count">2</strong>' in page
    assert '<strong id="run-total">£1,260.00</strong>' in page
    assert "Issue 2 invoices" in page
    assert not Job.objects.exists()
    run_annual_membership_invoices(academic_year="2026/27", issue_date=datetime.date(2026, 9, 1))
    page = client.post(reverse("finance:runs"), form).content.decode()
    assert '<strong id="run-count">0</strong>' in page and "nothing to invoice" in page
    assert "2 memberships: left alone" in page


def test_the_payment_page_names_each_missing_field(client_for, finance_officer, issue, school_a):
    invoice = issue(school_a)
    page = (
        client_for(finance_officer)
        .post(
            reverse("finance:record_payment", args=[invoice.pk]),
            {"amount": "", "received_on": "", "method": ""},
        )
        .content.decode()
    )
    assert "This field is required." not in page
    assert page.count("Enter amount received") == 2  # the summary and the field
    assert page.count("Enter the date received") == 2 and page.count("Select how it was paid") == 2
