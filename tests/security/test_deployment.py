"""The deployment as docker-compose.yml runs it: the health check answers behind the HTTPS
redirect and the host check."""

import json

import pytest
import yaml
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

# As in production: DEBUG off, HTTPS enforced, only the portal's own name accepted.
PRODUCTION = override_settings(
    DEBUG=False,
    SECURE_SSL_REDIRECT=True,
    ALLOWED_HOSTS=["portal.example.org"],
)


def compose():
    return yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())


def test_the_compose_probe_asks_for_health_by_address_over_plain_http():
    probe = " ".join(compose()["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/health/" in probe


@PRODUCTION
def test_the_health_check_answers_the_probe_by_address_over_plain_http():
    client = Client(raise_request_exception=False)
    response = client.get("/health/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert json.loads(response.content)["database"] is True


@PRODUCTION
def test_other_pages_still_refuse_a_strange_host_and_redirect_to_https():
    client = Client(raise_request_exception=False)
    assert client.get("/privacy/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    response = client.get("/privacy/", HTTP_HOST="portal.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://portal.example.org/privacy/"
    assert client.post("/health/", HTTP_HOST="127.0.0.1:8000").status_code == 400
