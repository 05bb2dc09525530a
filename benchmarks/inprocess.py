"""CPU per page in one process, through the whole middleware stack (django.test.Client).

For each page: warm-up requests, then at least 30 measured ones; the median of the
process's CPU time (time.process_time) and of its user and system time
(resource.getrusage), the queries and their time (connection.execute_wrapper), and the
HTML size. DEBUG is off. The list pages' floors (benchmarks/floors.py) are measured the
same way, through the benchmark's own URLconf.
"""

import copy
import resource
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

WARM_UP = 5


class SqlTimer:
    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def signed_in_client(user):
    """A test client signed in as `user`, with the second factor passed as allauth records
    it (the demo's staff have authenticator apps, so the portal asks for it)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def measure(client, path, repeat):
    for _ in range(WARM_UP):
        response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    cpu, user, system, sql_ms, queries = [], [], [], [], []
    size = 0
    for _ in range(repeat):
        timer = SqlTimer()
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.process_time()
        with connection.execute_wrapper(timer):
            response = client.get(path, HTTP_HOST="127.0.0.1")
        cpu.append((time.process_time() - started) * 1000)
        after = resource.getrusage(resource.RUSAGE_SELF)
        user.append((after.ru_utime - before.ru_utime) * 1000)
        system.append((after.ru_stime - before.ru_stime) * 1000)
        sql_ms.append(timer.seconds * 1000)
        queries.append(timer.queries)
        size = len(response.content)
    return {
        "path": path,
        "cpu_ms": round(statistics.median(cpu), 2),
        "user_ms": round(statistics.median(user), 2),
        "system_ms": round(statistics.median(system), 2),
        "sql_ms": round(statistics.median(sql_ms), 2),
        "queries": max(queries),
        "html_bytes": size,
        "runs": repeat,
    }


def bench_settings():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    return override_settings(ROOT_URLCONF="benchmarks.urls", TEMPLATES=templates, DEBUG=False)


def run(pages, repeat=30):
    """pages: (role, path, label) triples. Returns a row per page and per floor."""
    from benchmarks.floors import REAL
    from partnership.demo import DEMO_PEOPLE
    from partnership.models import User

    people = {str(role): email for email, _, _, role, _ in DEMO_PEOPLE}
    clients = {}

    def client_for(role):
        if role not in clients:
            clients[role] = signed_in_client(User.objects.get(email=people[role]))
        return clients[role]

    results = []
    with bench_settings():
        results.append(
            {"label": "bare view, signed in", "role": "coordinator"}
            | measure(client_for("coordinator"), "/health/bare/", repeat)
        )
        for role, path, label in pages:
            row = {"label": label, "role": role} | measure(client_for(role), path, repeat)
            results.append(row)
            floors = [name for name, real in REAL.items() if real == path]
            if floors and role in ("coordinator", "finance"):
                row["floors"] = {
                    level: measure(client_for(role), f"/_bench/floor/{floors[0]}/{level}/", repeat)
                    for level in ("plain", "layout", "full")
                }
    return results


def tables_ab(repeat=30):
    """The list pages with django-tables2's own cell rendering and with the portal's
    (partnership.tables.Table.resolve_cells_once), alternating in one process so both
    see the same machine: median CPU ms of each."""
    from partnership.models import User
    from partnership.tables import Table

    pages = [
        ("coordinator@demo.partnership", "/schools/"),
        ("coordinator@demo.partnership", "/membership/all/"),
        ("coordinator@demo.partnership", "/offer/bookings/"),
        ("finance@demo.council", "/finance/invoices/"),
    ]
    results = []
    with bench_settings():
        for email, path in pages:
            client = signed_in_client(User.objects.get(email=email))
            timings = {False: [], True: []}
            for _ in range(repeat // 5):
                for once in (False, True):
                    Table.resolve_cells_once = once
                    timings[once].append(measure(client, path, 5)["cpu_ms"])
            Table.resolve_cells_once = True
            before = statistics.median(timings[False])
            after = statistics.median(timings[True])
            results.append({"path": path, "django_tables2_ms": before, "resolved_once_ms": after})
    return results
