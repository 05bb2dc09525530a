import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_checks_are_clean_with_production_settings():
    # Production environment: none of the test run's own variables.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-production-secret-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_TESTING="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_responses_carry_a_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account(head_a, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": head_a.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": head_a.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_health_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] is True
