"""Finance officers, coordinators and admins are signed out after a spell unused; schools
keep their longer session."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_finance_officers_session_ends_after_thirty_minutes_unused(client_for, finance_officer):
    client = client_for(finance_officer)
    assert client.get(reverse("finance:invoices")).status_code == 200
    age = client.session.get_expiry_age()
    assert 29 * 60 < age <= 30 * 60


def test_a_headteacher_keeps_the_two_week_session(client_for, head_a, settings):
    client = client_for(head_a)
    client.get(reverse("dashboard"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_busy_session_is_moved_on_and_an_idle_one_has_ended(client_for, coordinator):
    client = client_for(coordinator)
    client.get(reverse("dashboard"))
    session = client.session
    session.set_expiry(10 * 60)  # as if twenty minutes had passed without a page
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session.get_expiry_age() > 29 * 60  # moved on: a full spell again
    session = client.session
    session.set_expiry(-1)  # as if the whole spell had passed
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
