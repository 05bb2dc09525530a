"""Choosing a password from an invitation signs the person in and takes them to their
dashboard (before, they were left on "Password successfully changed" with no way on),
through the same second-factor rules as any sign-in (docs/security.md)."""

import re

import pytest
from django.core import mail
from django.test import Client

from partnership.demo import current_totp_code
from partnership.roles import Role
from partnership.services import invite_user
from schools.services import invite_school_contact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-new-long-passphrase-2026"


def choose_password(client, body):
    """Follow the emailed link and choose a password, as the invited person does."""
    link = re.search(r"/accounts/password/reset/key/\S+", body).group(0)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    return client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})


def test_an_invited_headteacher_is_signed_in_and_lands_on_their_dashboard(
    school_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_school_contact(
            school_a,
            email="new.head@alpha.sch.uk",
            first_name="Nia",
            last_name="New",
            role="headteacher",
            invited_by=coordinator,
        )
    client = Client()
    response = choose_password(client, mail.outbox[-1].body)
    assert response.status_code == 302 and response.url == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    page = dashboard.content.decode()
    assert "Your school" in page and "Alpha Primary School" in page


def test_an_invited_coordinator_must_set_up_an_authenticator_app_before_anything_else(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_user(
            email="new.coordinator@partnership.example",
            first_name="Cai",
            last_name="New",
            role=Role.COORDINATOR,
            invited_by=coordinator,
        )
    client = Client()
    response = choose_password(client, mail.outbox[-1].body)
    assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == "/accounts/2fa/totp/activate/"


def test_a_reset_password_does_not_skip_the_code_of_someone_with_an_authenticator_app(
    partnership_record,
):
    officer = UserFactory(role=Role.FINANCE, email="fay@council.example")
    client = Client()
    client.post("/accounts/password/reset/", {"email": officer.email})
    response = choose_password(client, mail.outbox[-1].body)
    # Asked for the authenticator's code, not signed in.
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/finance/").url.startswith("/accounts/login/")
    page = client.get(response.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    signed_in = client.post(response.url, {"code": current_totp_code(officer)})
    assert signed_in.status_code == 302 and signed_in.url == "/dashboard/"
    assert client.get("/finance/").status_code == 200


def test_choosing_a_password_says_so_once_with_the_sign_in(
    school_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_school_contact(
            school_a,
            email="new.head@alpha.sch.uk",
            first_name="Nia",
            last_name="New",
            role="headteacher",
            invited_by=coordinator,
        )
    client = Client()
    response = choose_password(client, mail.outbox[-1].body)
    page = client.get(response.url).content.decode()
    assert page.count("govuk-notification-banner__heading") == 1
    assert "Your password is saved and you are signed in." in page
    assert "Password successfully changed" not in page and "Successfully signed in" not in page


def test_with_an_authenticator_app_the_one_message_comes_after_the_code(partnership_record):
    officer = UserFactory(role=Role.FINANCE, email="fay@council.example")
    client = Client()
    client.post("/accounts/password/reset/", {"email": officer.email})
    response = choose_password(client, mail.outbox[-1].body)
    code_page = client.get(response.url).content.decode()
    assert "govuk-notification-banner__heading" not in code_page
    signed_in = client.post(response.url, {"code": current_totp_code(officer)})
    page = client.get(signed_in.url).content.decode()
    assert page.count("govuk-notification-banner__heading") == 1
    assert "Your password is saved and you are signed in." in page
