"""The deployment as docker-compose.yml runs it: the health check answers behind the HTTPS
redirect and the host check."""

import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from tests.conftest import requires_postgresql

DEPLOY = settings.BASE_DIR / "deploy" / "postgres"

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


@pytest.mark.django_db
@PRODUCTION
def test_the_health_check_answers_the_probe_by_address_over_plain_http():
    client = Client(raise_request_exception=False)
    response = client.get("/health/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert json.loads(response.content)["database"] is True


@pytest.mark.django_db
@PRODUCTION
def test_other_pages_still_refuse_a_strange_host_and_redirect_to_https():
    client = Client(raise_request_exception=False)
    assert client.get("/privacy/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    response = client.get("/privacy/", HTTP_HOST="portal.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://portal.example.org/privacy/"
    assert client.post("/health/", HTTP_HOST="127.0.0.1:8000").status_code == 400


def test_the_portal_reaches_redis_and_postgres_with_passwords_and_its_runtime_role():
    services = compose()["services"]
    assert "--requirepass" in services["redis"]["command"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD:?")
        assert environment["DATABASE_URL"].startswith("postgres://partnership_app:${DB_APP_")
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    # Only the one-off migration service connects as the owner of the tables.
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://partnership_owner:")
    assert "migrate" in migrate["command"] and "migrate" not in services["web"]["command"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in services["postgres"]["volumes"]


def test_the_progress_cache_has_its_own_capped_redis_never_the_brokers():
    services = compose()["services"]
    command = services["redis-cache"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
    assert command[command.index("--maxmemory") + 1] == "64mb"
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert "@redis-cache:6379/" in environment["REDIS_CACHE_URL"]
        assert environment["REDIS_CACHE_URL"] != environment["REDIS_URL"]
        assert services[name]["depends_on"]["redis-cache"] == {"condition": "service_healthy"}


def test_without_its_own_url_the_cache_takes_the_next_database_of_the_brokers_redis():
    from partnership.settings import _next_database

    assert _next_database("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert _next_database("redis://:secret@redis:6379/7") == "redis://:secret@redis:6379/8"
    assert _next_database("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379/1"
    if settings.REDIS_URL:
        assert settings.CACHES["progress"]["LOCATION"] != settings.CELERY_BROKER_URL


def test_the_portal_refuses_to_start_with_the_cache_in_the_brokers_database():
    environment = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "REDIS_CACHE_URL": "redis://127.0.0.1:6379/0",
    }
    finished = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "partnership.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "REDIS_CACHE_URL must not be the Celery broker's REDIS_URL" in finished.stderr


def psql(connect_to, *arguments, **variables):
    """Run the machine's psql on this server as the test database's user."""
    db = connection.settings_dict
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", db["HOST"] or "127.0.0.1"]
    command += ["-p", str(db["PORT"] or 5432), "-U", db["USER"], "-d", connect_to, *arguments]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    subprocess.run(command, check=True, capture_output=True, text=True, env=env)


@pytest.fixture
def runtime_role(django_db_setup, django_db_blocker):
    """The two roles of deploy/postgres made on this server, the runtime role granted on the
    migrated test database as 10-roles.sh grants it on the portal's; all removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    owner, runtime, fresh = f"t_owner_{suffix}", f"t_app_{suffix}", f"t_db_{suffix}"
    test_db = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        psql(
            "postgres",
            "-f",
            str(DEPLOY / "roles.psql"),
            owner=owner,
            owner_password="o",
            runtime_role=runtime,
            runtime_password="r",
            database=fresh,
        )
        # The test database's tables belong to the user who migrated it: it stands for the owner.
        psql(
            test_db,
            "-f",
            str(DEPLOY / "grants.psql"),
            owner=connection.settings_dict["USER"],
            runtime_role=runtime,
            database=test_db,
        )
        yield runtime
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{runtime}"')
            cursor.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{test_db}" TO PUBLIC')
        connection.close()
        for sql in (f'DROP DATABASE "{fresh}"', f'DROP ROLE "{runtime}"', f'DROP ROLE "{owner}"'):
            psql("postgres", "-c", sql)


@requires_postgresql
def test_the_runtime_role_reads_and_writes_rows_but_cannot_drop_the_immutability_triggers(
    runtime_role,
):
    import psycopg2

    db = connection.settings_dict
    app = psycopg2.connect(
        dbname=db["NAME"],
        user=runtime_role,
        password="r",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    refused = {}
    try:
        with app.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM finance_invoice")
            cursor.execute(
                "INSERT INTO finance_documentsequence (kind, financial_year, last_number) "
                "VALUES ('invoice', '2026-27', 0)"
            )
        app.rollback()
        for sql in [
            "DROP TRIGGER finance_invoice_immutable ON finance_invoice",
            "ALTER TABLE finance_payment DISABLE TRIGGER ALL",
            "DROP FUNCTION finance_refuse_change()",
            "TRUNCATE finance_ledgerentry",
            "CREATE TABLE finance_shadow (id int)",
            "DROP TABLE finance_invoice",
        ]:
            with app.cursor() as cursor:
                try:
                    cursor.execute(sql)
                except psycopg2.Error as error:
                    refused[sql] = error.pgcode
            app.rollback()
    finally:
        app.close()
    # 42501: insufficient privilege (must be owner, permission denied): every one refused.
    assert refused == {sql: "42501" for sql in refused} and len(refused) == 6


def test_each_parallel_test_worker_has_its_own_redis_databases(monkeypatch):
    from partnership import settings as portal_settings

    monkeypatch.setenv("DJANGO_TESTING", "1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    own = portal_settings._own_databases_for_this_test_worker
    assert own("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/6"
    assert own("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379/6"
    # The cache, the next database, is then 7: never another worker's broker (8 is gw4's).
    assert portal_settings._next_database(own("redis://127.0.0.1:6379/0")).endswith("/7")
    monkeypatch.setenv("DJANGO_TESTING", "0")  # a deployment is never moved
    assert own("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
