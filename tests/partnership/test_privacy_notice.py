import pytest
from django.test import Client


@pytest.mark.django_db
def test_anyone_can_read_the_privacy_notice_without_signing_in(partnership_record):
    response = Client().get("/privacy/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Privacy notice" in text
    assert "Hillingdon Council" in text
    assert "a copy of the personal data we hold about you" in text
