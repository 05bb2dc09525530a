import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY as AUTHENTICATION_METHODS_USER_SESSION_KEY,
)
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.db import connection
from django.test import Client

from partnership.celery import app as celery_app
from partnership.roles import Role
from partnership.second_factor import has_authenticator

from .factories import PartnershipFactory, SchoolFactory, UserFactory, school_user

ROOT = Path(__file__).resolve().parent.parent
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def uses_postgresql():
    return connection.vendor == "postgresql"


requires_postgresql = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="needs PostgreSQL (row locks, snapshots, triggers); CI sets DATABASE_URL to it",
)


def _with_redis_unreachable(caches):
    """The portal's caches as they are with Redis down, for the tests of working without it:
    each Redis cache (or the in-memory stand-in used when REDIS_URL is unset) pointed at port
    1, where nothing listens, so every connection is refused at once; the others as set."""
    unreachable = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
    }
    return {
        alias: unreachable if config["BACKEND"].endswith(("RedisCache", "LocMemCache")) else config
        for alias, config in caches.items()
    }


REDIS_DOWN = _with_redis_unreachable(settings.CACHES)
requires_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis and a Celery worker; CI sets REDIS_URL"
)


def record_second_factor(client, user):
    """Mark a test client's session as having passed two-factor, as allauth's sign-in does."""
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """Tests sign people in with force_login, which skips allauth and its second factor; the
    portal refuses such a session to those who need two-factor. So force_login records the
    second factor too for someone with an authenticator app, unless told `second_factor=False`
    (to test that refusal)."""
    original = Client.force_login

    def force_login(self, user, backend=None, second_factor=True):
        original(self, user, backend)
        # Only someone with an authenticator app could have passed it.
        if second_factor and has_authenticator(user):
            record_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process unless the test uses a real worker."""
    eager = "celery_worker" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def partnership_record(db):
    return PartnershipFactory()


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="Alpha Primary School", pupils=420)


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="Beta Primary School", pupils=210)


@pytest.fixture
def head_a(school_a):
    return school_user(school_a, email="head.a@alpha.sch.uk", first_name="Ann")


@pytest.fixture
def head_b(school_b):
    return school_user(school_b, email="head.b@beta.sch.uk", first_name="Bob")


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR, email="coordinator@partnership.example")


@pytest.fixture
def finance_officer(db):
    return UserFactory(role=Role.FINANCE, email="finance@council.example")


@pytest.fixture
def board_member(db):
    return UserFactory(role=Role.BOARD, email="board@partnership.example")


@pytest.fixture
def practitioner_user(db):
    return UserFactory(role=Role.PRACTITIONER, email="sle@partnership.example")


@pytest.fixture
def client_for(client):
    """A test client signed in as this person (None = anonymous)."""
    from django.test import Client

    def make(user):
        new = Client()
        if user is not None:
            new.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return new

    return make


# A task whose worker died is handed to the next worker after this many seconds.
TEST_VISIBILITY_TIMEOUT = 3


@pytest.fixture
def start_celery_worker(transactional_db, settings):
    """Start real Celery workers on Redis, using the test database; all stopped after the test."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis; CI sets REDIS_URL")
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{db['NAME']}"
    )
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    env["CELERY_VISIBILITY_TIMEOUT"] = str(TEST_VISIBILITY_TIMEOUT)
    env["DJANGO_MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    celery_app.control.purge()
    processes = []

    def start(wait_for_ping=True):
        """Start a worker; by default wait until it answers a ping. A worker that will
        take a waiting task at once cannot answer (the solo pool runs one thing at a
        time), so such a test passes wait_for_ping=False and waits for the task instead."""
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "partnership",
                "worker",
                "--pool=solo",
                "--loglevel=warning",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test{os.getpid()}-{len(processes)}@%h",
            ],
            cwd=ROOT,
            env=env,
        )
        processes.append(process)
        if not wait_for_ping:
            return process
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=0.5):
                return process
            if process.poll() is not None:
                raise RuntimeError("Celery worker exited at start")
        process.kill()
        raise RuntimeError("Celery worker did not answer within 30 s")

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """A real Celery worker on Redis, using the test database; stopped after the test."""
    return start_celery_worker()
