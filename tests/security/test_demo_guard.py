"""The demo never lands in a real portal by accident (issue 13, finding 11): it makes an
account for every role with a published password and a published authenticator key."""

import io

import pytest
from django.core.management import CommandError, call_command

from partnership.models import User
from schools.models import School

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError) as refused:
        call_command("load_demo", stdout=io.StringIO())

    assert "DEBUG" in str(refused.value) and "--force-demo" in str(refused.value)
    assert not User.objects.exists()
    assert not School.objects.exists()


def test_load_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    call_command("load_demo", stdout=io.StringIO())

    assert User.objects.filter(email="coordinator@demo.partnership").exists()


def test_load_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()

    call_command("load_demo", "--force-demo", stdout=out)

    assert User.objects.filter(email="coordinator@demo.partnership").exists()
    assert "Demo logins" in out.getvalue()
