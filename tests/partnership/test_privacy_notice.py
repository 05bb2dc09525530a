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
    # What the retention rules and the coordinator's erasure now do, said plainly.
    assert "an account that has been switched off, two years after" in text
    assert "payers&#x27; names on the lines of bank files" in text or (
        "payers' names on the lines of bank files" in text
    )
    assert "download everything the portal holds about you" in text
