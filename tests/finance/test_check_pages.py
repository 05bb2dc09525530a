"""Dates nobody would enter are refused, and credit notes and annual runs are checked
(count and total shown) before anything is issued."""

import datetime

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
    assert "The date received cannot be after today" in page
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
