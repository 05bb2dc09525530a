"""Failed sign-ins lock the account they were aimed at, not everyone behind the same address.

Every request here is a real POST to allauth's sign-in page, which posts the email address
in its `login` field and hands it to Django's authenticate() as `email`.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"  # tests/factories.py
# Documentation addresses (RFC 5737): never contacted, only written into the request.
OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
PROXY = "192.0.2.1"


def sign_in(user, password, remote_addr=OFFICE, **headers):
    return Client().post(
        LOGIN, {"login": user.email, "password": password}, REMOTE_ADDR=remote_addr, **headers
    )


def fail_until_locked(user, settings, remote_addr=OFFICE):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = sign_in(user, "wrong-password", remote_addr)
        # The form again with its error, until the last try locks the account.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)


def is_locked_out(response):
    return response.status_code == 429 and "Too many failed sign-in attempts" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_wrong_passwords_lock_that_account_but_not_others_behind_the_same_address(
    head_a, head_b, settings
):
    fail_until_locked(head_a, settings)

    assert is_locked_out(sign_in(head_a, PASSWORD))
    # Locked per account: moving to another address does not help the guesser.
    assert is_locked_out(sign_in(head_a, PASSWORD, remote_addr=ELSEWHERE))
    # Someone else in the same school office (same public address) still signs in.
    response = sign_in(head_b, PASSWORD)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.url == "/dashboard/"


@pytest.mark.django_db
def test_a_failed_attempt_is_stored_under_the_email_address_tried(head_a):
    sign_in(head_a, "wrong-password")

    attempt = AccessAttempt.objects.get()
    assert attempt.username == head_a.email
    assert attempt.ip_address == OFFICE
    assert attempt.failures_since_start == 1


@pytest.mark.django_db
def test_the_email_address_is_matched_whatever_its_case(head_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            LOGIN, {"login": head_a.email.upper(), "password": "wrong"}, REMOTE_ADDR=OFFICE
        )
    assert is_locked_out(sign_in(head_a, PASSWORD))


@pytest.mark.django_db
def test_behind_the_tls_proxy_the_address_it_forwards_is_the_client(head_a, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; anything to its left came from the client.
    sign_in(head_a, "wrong", remote_addr=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {ELSEWHERE}")

    assert AccessAttempt.objects.get().ip_address == ELSEWHERE


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(head_a, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    sign_in(head_a, "wrong", remote_addr=OFFICE, HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert AccessAttempt.objects.get().ip_address == OFFICE
