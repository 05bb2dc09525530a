"""Tokens: made on the tokens page and shown once, stored as a digest, revoked by their owner."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from partnership.api.tokens import create_token
from partnership.models import ApiToken


@pytest.mark.django_db
def test_only_the_digest_is_stored(coordinator):
    record, token = create_token(user=coordinator, name="Nightly")
    record.refresh_from_db()
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {getattr(record, f.attname) for f in ApiToken._meta.fields}


@pytest.mark.django_db
def test_the_page_shows_a_new_token_once(coordinator, client_for, school_a):
    client = client_for(coordinator)
    made = client.post("/reporting-api/tokens/", {"name": "Nightly"})
    token = made.context["new_token"]
    assert token.startswith("sip_") and token in made.content.decode()
    again = client.get("/reporting-api/tokens/")
    assert token not in again.content.decode()
    assert "Nightly" in again.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/schools/").status_code == 200


@pytest.mark.django_db
def test_a_token_without_a_name_is_refused(coordinator, client_for):
    response = client_for(coordinator).post("/reporting-api/tokens/", {"name": ""})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_revoked_token_stops_working_and_the_revocation_is_recorded(coordinator, client_for):
    record, token = create_token(user=coordinator, name="Nightly")
    client_for(coordinator).post(f"/reporting-api/tokens/{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert record.history.first().history_user == coordinator
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/schools/").status_code == 401


@pytest.mark.django_db
def test_nobody_revokes_another_persons_token(coordinator, head_a, client_for):
    record, _ = create_token(user=coordinator, name="Nightly")
    response = client_for(head_a).post(f"/reporting-api/tokens/{record.pk}/revoke/")
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


@pytest.mark.django_db
def test_an_expired_token_stops_working(coordinator):
    record, token = create_token(user=coordinator, name="Nightly")
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/schools/").status_code == 401


@pytest.mark.django_db
def test_using_a_token_records_when_it_was_last_used(coordinator):
    record, token = create_token(user=coordinator, name="Nightly")
    Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/schools/")
    record.refresh_from_db()
    assert record.last_used_at is not None
