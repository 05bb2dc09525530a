"""Nobody makes their own account: people join by invitation (partnership.adapters)."""

import pytest

from partnership.models import User

pytestmark = pytest.mark.django_db


def test_the_sign_up_page_makes_no_account(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "someone@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    assert response.status_code == 200
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    assert not User.objects.filter(email="someone@example.com").exists()
