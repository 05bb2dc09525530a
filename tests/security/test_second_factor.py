"""Finance officers, coordinators, staff and superusers use the portal only in a session that
passed two-factor (issue 13, findings 1 and 10)."""

import pytest
from django.test import Client

from partnership.demo import current_totp_code
from partnership.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_the_admin_login_takes_no_password_alone(partnership_record):
    officer = UserFactory(role=Role.FINANCE, is_staff=True, email="staff.finance@council.example")
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": officer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    finance = client.get("/finance/")
    assert finance.status_code == 302 and finance.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "kind",
    [
        {"role": Role.FINANCE},
        {"role": Role.COORDINATOR},
        {"role": Role.HEADTEACHER, "is_staff": True},
        {"role": Role.BOARD, "is_superuser": True, "is_staff": True},
    ],
)
def test_a_session_that_never_passed_two_factor_is_signed_out(partnership_record, kind):
    person = UserFactory(**kind)
    for url in ("/finance/", "/dashboard/", "/admin/", "/accounts/2fa/totp/deactivate/"):
        client = Client()
        client.force_login(person, second_factor=False)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url
        assert "_auth_user_id" not in client.session


def test_a_real_sign_in_reaches_finance_only_after_the_code(partnership_record, finance_officer):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": finance_officer.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and "/2fa/authenticate/" in response.url
    assert client.get("/finance/").status_code == 302
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_totp_code(finance_officer)}
    )
    assert response.status_code == 302
    assert client.get("/finance/").status_code == 200


def test_a_coordinator_without_an_app_is_sent_to_set_one_up(partnership_record):
    coordinator = UserFactory(role=Role.COORDINATOR, totp=False)
    client = Client()
    client.force_login(coordinator)
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"


def test_a_headteacher_needs_no_second_factor(head_a, partnership_record):
    client = Client()
    client.force_login(head_a, second_factor=False)
    assert client.get("/dashboard/").status_code == 200
