"""Only a finance officer or a superuser invites a finance officer (issue 13, finding 10).

A finance account reaches the ledger, payments and every school's invoices; the coordinator
who runs the programme does not hand that out.
"""

import pytest
from django.core import mail

from partnership.models import User
from partnership.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INVITE = "/people/invite/"


def invitation(role, email="new.person@council.example"):
    return {
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": email,
        "role": role,
        "job_title": "",
    }


def role_options(page):
    return {role for role in Role if f'value="{role.value}"' in page}


def test_a_coordinator_is_not_offered_the_finance_role(client_for, coordinator):
    page = client_for(coordinator).get(INVITE).content.decode()
    assert Role.FINANCE not in role_options(page)
    assert {Role.COORDINATOR, Role.BOARD, Role.PRACTITIONER} <= role_options(page)


def test_a_coordinator_cannot_invite_a_finance_officer(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(INVITE, invitation(Role.FINANCE))

    assert response.status_code == 200
    assert "Only a finance officer or a superuser may invite a finance officer" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="new.person@council.example").exists()
    assert mail.outbox == []


def test_a_coordinator_still_invites_a_board_member(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(INVITE, invitation(Role.BOARD))

    assert response.status_code == 302
    assert User.objects.get(email="new.person@council.example").role == Role.BOARD


def test_a_finance_officer_invites_a_finance_officer(
    client_for, finance_officer, django_capture_on_commit_callbacks
):
    client = client_for(finance_officer)
    assert role_options(client.get(INVITE).content.decode()) == {Role.FINANCE}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, invitation(Role.FINANCE))

    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # lands somewhere they may see
    assert User.objects.get(email="new.person@council.example").role == Role.FINANCE
    assert [message.to for message in mail.outbox] == [["new.person@council.example"]]


def test_a_finance_officer_invites_no_other_role(client_for, finance_officer):
    response = client_for(finance_officer).post(INVITE, invitation(Role.COORDINATOR))

    assert response.status_code == 200
    assert "A finance officer invites only finance officers" in response.content.decode()
    assert not User.objects.filter(email="new.person@council.example").exists()


def test_a_superuser_coordinator_may_invite_a_finance_officer(
    client_for, django_capture_on_commit_callbacks
):
    superuser = UserFactory(role=Role.COORDINATOR, is_superuser=True, is_staff=True)
    client = client_for(superuser)
    assert Role.FINANCE in role_options(client.get(INVITE).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, invitation(Role.FINANCE))

    assert response.status_code == 302
    assert User.objects.get(email="new.person@council.example").role == Role.FINANCE


def test_the_service_refuses_too(coordinator):
    from django.core.exceptions import PermissionDenied

    from partnership.services import invite_user

    with pytest.raises(PermissionDenied):
        invite_user(
            email="x@council.example",
            first_name="X",
            last_name="Y",
            role=Role.FINANCE,
            invited_by=coordinator,
        )
    assert not User.objects.filter(email="x@council.example").exists()
