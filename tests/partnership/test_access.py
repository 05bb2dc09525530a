"""Who may open the partnership app's own pages."""

import pytest
from django.core import mail

from partnership.models import User

pytestmark = pytest.mark.django_db

ROLES = ["head_a", "coordinator", "finance_officer", "board_member", "practitioner_user"]


@pytest.mark.parametrize("url", ["/dashboard/", "/people/", "/people/invite/"])
def test_anonymous_people_are_sent_to_sign_in(client_for, url):
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ROLES)
def test_everyone_signed_in_reaches_their_dashboard(request, client_for, partnership_record, who):
    response = client_for(request.getfixturevalue(who)).get("/dashboard/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url, who, status",
    [
        *[
            (url, who, 403)
            for url in ("/people/", "/people/invite/")
            for who in ("head_a", "board_member", "practitioner_user")
        ],
        ("/people/", "finance_officer", 403),
        ("/people/", "coordinator", 200),
        ("/people/invite/", "coordinator", 200),
        # To invite finance officers only (tests/security/test_inviting_finance_officers.py).
        ("/people/invite/", "finance_officer", 200),
    ],
)
def test_only_coordinators_manage_people(request, client_for, url, who, status):
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def test_a_finance_officer_invites_a_finance_officer_who_gets_a_set_password_link(
    client_for, finance_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(finance_officer).post(
            "/people/invite/",
            {
                "first_name": "Fay",
                "last_name": "Ledger",
                "email": "Fay@Council.example",
                "role": "finance",
                "job_title": "Accountant",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="fay@council.example")
    assert user.role == "finance" and not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_inviting_an_existing_address_changes_nothing(client_for, coordinator, head_a):
    response = client_for(coordinator).post(
        "/people/invite/",
        {"first_name": "A", "last_name": "B", "email": head_a.email, "role": "board"},
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert User.objects.filter(email=head_a.email).count() == 1
    assert mail.outbox == []


def test_finance_officer_without_two_factor_is_sent_to_set_it_up(client_for, partnership_record):
    from tests.factories import UserFactory

    officer = UserFactory(role="finance", totp=False)
    response = client_for(officer).get("/dashboard/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"


def test_forms_refuse_posts_without_a_csrf_token(coordinator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/people/invite/", {"email": "x@example.org"})
    assert response.status_code == 403
