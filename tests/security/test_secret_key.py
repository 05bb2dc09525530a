"""The portal will not start in production on the published default SECRET_KEY.

The key signs sessions and password-reset links and encrypts the authenticator apps'
secrets; the default is in this repository for anyone to read.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "a-long-production-secret-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a"


def import_settings(**variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import partnership.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def embedded_default_key():
    from partnership import settings

    return settings.SECRET_KEY  # this test run sets no DJANGO_SECRET_KEY


@pytest.mark.parametrize(
    "key",
    [None, "", "   ", "default", "django-insecure-generated-by-startproject-0123456789abcdef"],
)
def test_debug_off_without_a_real_key_refuses_to_start(key):
    variables = {"DJANGO_DEBUG": "0"}
    if key == "default":
        variables["DJANGO_SECRET_KEY"] = embedded_default_key()
    elif key is not None:
        variables["DJANGO_SECRET_KEY"] = key

    result = import_settings(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_off_with_a_real_key_starts():
    result = import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=REAL_KEY)
    assert result.returncode == 0, result.stderr


def test_debug_on_runs_on_the_embedded_default_for_make_run_and_tests():
    result = import_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
