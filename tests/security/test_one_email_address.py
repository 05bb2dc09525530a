"""One verified email address per account (issue 13, finding 11): the address someone was
invited at is the only one their account has, so a second address cannot be slipped in to
take password-reset links or sign in with."""

import pytest
from allauth.account.models import EmailAddress

pytestmark = pytest.mark.django_db


def test_a_second_email_address_cannot_be_added(client_for, head_a):
    response = client_for(head_a).post(
        "/accounts/email/", {"action_add": "", "email": "someone.else@example.org"}
    )

    assert response.status_code == 200
    assert 'name="action_add"' not in response.content.decode()  # nor offered
    assert list(EmailAddress.objects.filter(user=head_a).values_list("email", flat=True)) == [
        head_a.email
    ]
