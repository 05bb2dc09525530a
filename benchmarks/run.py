"""`make bench`: build a national-scale data set on PostgreSQL and measure the portal.

Prints the figures and writes docs/performance.md. Needs the machine's PostgreSQL
(BENCH_PG, default postgres://postgres@127.0.0.1:5432) and Redis (BENCH_REDIS).
Every server it starts listens on 127.0.0.1 and is stopped at the end.
"""

import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import hammer  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONNECTIONS = 16
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "25"))  # per connection, per page
PAGES = [  # (role, path, what a person sees there)
    ("coordinator", "/schools/", "School register (22,000 schools)"),
    ("coordinator", "/schools/?q=Primary&category=primary", "School register, searched"),
    ("coordinator", "/membership/all/", "Memberships (5 years)"),
    ("coordinator", "/offer/bookings/", "Bookings (100,000)"),
    ("coordinator", "/offer/", "Offer catalogue"),
    ("coordinator", "/dashboard/", "Coordinator dashboard"),
    ("finance", "/finance/invoices/", "Invoices (50,000)"),
    ("finance", "/finance/", "Trading account"),
    ("finance", "/finance/reports/break-even/", "Break-even report"),
    ("headteacher", "/dashboard/", "Headteacher dashboard"),
    ("headteacher", "/finance/invoices/", "A school's invoices"),
    ("board", "/governance/dashboard/", "Partnership dashboard"),
]


def env_for(database, **extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{database}",
        REDIS_URL=REDIS,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        AXES_FAILURE_LIMIT="1000",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def sh(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def step(name, *args, env):
    out = sh(
        [sys.executable, "-m", "benchmarks.steps", name, *map(str, args)],
        env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_database(name):
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        sh(["psql", f"{PG}/postgres", "-qc", sql], dict(os.environ))
    env = env_for(name)
    sh([sys.executable, "manage.py", "migrate", "-v0"], env)
    return env


def start_gunicorn(env, workers):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "partnership.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            hammer("127.0.0.1", PORT, "/health/bare/", connections=1, requests_per_connection=1)
            if (
                hammer(
                    "127.0.0.1", PORT, "/health/bare/", connections=1, requests_per_connection=1
                ).errors
                == 0
            ):
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def start_workers(env, count):
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "partnership",
                "worker",
                "--pool=solo",
                "-n",
                f"bench{n}@%h",
                "--loglevel=warning",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in range(count)
    ]


def stop(processes):
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def measure_pages(env, sessions, workers):
    server = start_gunicorn(env, workers)
    pages = []
    try:
        hammer("127.0.0.1", PORT, "/health/bare/", connections=4, requests_per_connection=10)
        bare = hammer(
            "127.0.0.1",
            PORT,
            "/health/bare/",
            connections=CONNECTIONS,
            requests_per_connection=REQUESTS,
        )
        # The same bare view signed in: what loading the session and the person costs.
        bare_signed_in = hammer(
            "127.0.0.1",
            PORT,
            "/health/bare/",
            cookie=sessions["coordinator"],
            connections=CONNECTIONS,
            requests_per_connection=REQUESTS,
        )
        print(
            f"{'bare view':32} p50 {bare.p50_ms:7.1f} ms  p95 {bare.p95_ms:7.1f} ms; signed in "
            f"p95 {bare_signed_in.p95_ms:7.1f} ms",
            flush=True,
        )
        for role, path, label in PAGES:
            cookie = sessions[role]
            hammer("127.0.0.1", PORT, path, cookie=cookie, connections=2, requests_per_connection=2)
            result = hammer(
                "127.0.0.1",
                PORT,
                path,
                cookie=cookie,
                connections=CONNECTIONS,
                requests_per_connection=REQUESTS,
            )
            pages.append({"label": label, "path": path, "role": role, **result.__dict__})
            print(
                f"{label:32} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
                f"{result.p95_ms / bare.p95_ms:5.1f}x bare  errors {result.errors}",
                flush=True,
            )
    finally:
        stop([server])
    return {"bare": bare.__dict__, "bare_signed_in": bare_signed_in.__dict__, "pages": pages}


def main():
    results = {
        "when": datetime.datetime.now().isoformat(timespec="minutes"),
        "cores": os.cpu_count(),
    }
    # First, before any step renders a page: with DEBUG off the templates need the
    # manifest collectstatic writes ("Missing staticfiles manifest entry" on a fresh checkout).
    sh([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env_for("postgres"))
    print("GIAS import of a 50,000-row national file ...", flush=True)
    results["gias"] = step("gias", 50_000, env=fresh_database("partnership_bench_gias"))
    print(results["gias"], flush=True)

    print("Building the national data set ...", flush=True)
    env = fresh_database("partnership_bench")
    results["national"] = step("national", env=env)
    sessions = step("sessions", env=env)
    print("CPU per page in one process (median of 30 after warm-up):", flush=True)
    results["cpu"] = step("cpu", 30, env=env)
    print_cpu(results["cpu"])
    workers = 2 * (os.cpu_count() or 1) + 1
    results["gunicorn_workers"] = workers
    print("Pages:", flush=True)
    results.update(measure_pages(env, sessions, workers))

    results["runs"] = []
    for count in (1, 2):
        env = fresh_database("partnership_bench_run")
        step("run-setup", 600, env=env)
        processes = start_workers(env, count)
        try:
            time.sleep(3)
            run = step("invoice-run", 50, env=env)
        finally:
            stop(processes)
        run["workers"] = count
        results["runs"].append(run)
        print(f"annual run of 600 schools with PDFs, {count} worker(s): {run}", flush=True)

    write_report(results)


def system_time_jumps(pages):
    """Pages whose system time per request jumps (more than twice the bare view's and over
    a millisecond): CPython 3.11's frame-stack thrashing at deep nesting looks like this."""
    bare = pages[0]["system_ms"]
    return [p for p in pages if p["system_ms"] > max(1.0, 2 * bare)]


def cpu_lines(pages):
    lines = [
        row(
            "page",
            "role",
            "CPU ms",
            "user ms",
            "system ms",
            "queries",
            "SQL ms",
            "HTML KB",
            "÷ plain floor",
            "÷ layout floor",
            "÷ full floor",
        ),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        floors = page.get("floors", {})
        ratios = [
            f"{page['cpu_ms'] / floors[level]['cpu_ms']:.2f}" if level in floors else ""
            for level in ("plain", "layout", "full")
        ]
        lines.append(
            row(
                f"{page['label']} (`{page['path']}`)",
                page["role"],
                f"{page['cpu_ms']:.1f}",
                f"{page['user_ms']:.1f}",
                f"{page['system_ms']:.1f}",
                page["queries"],
                f"{page['sql_ms']:.1f}",
                f"{page['html_bytes'] / 1024:.0f}",
                *ratios,
            )
        )
        for level, floor in floors.items():
            lines.append(
                row(
                    f"&nbsp;&nbsp;floor: {level} (`{floor['path']}`)",
                    page["role"],
                    f"{floor['cpu_ms']:.1f}",
                    f"{floor['user_ms']:.1f}",
                    f"{floor['system_ms']:.1f}",
                    floor["queries"],
                    f"{floor['sql_ms']:.1f}",
                    f"{floor['html_bytes'] / 1024:.0f}",
                    "",
                    "",
                    "",
                )
            )
    return lines


def print_cpu(pages):
    print("\n".join(cpu_lines(pages)), flush=True)
    for page in system_time_jumps(pages):
        print(
            f"WARNING: {page['path']} spends {page['system_ms']:.1f} ms of system time per "
            f"request (bare view {pages[0]['system_ms']:.1f} ms)",
            flush=True,
        )


def row(*cells):
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def timing_row(label, role, result, bare_p95):
    return row(
        label,
        role,
        f"{result['p50_ms']:.1f}",
        f"{result['p95_ms']:.1f}",
        f"{result['p95_ms'] / bare_p95:.1f}",
        f"{result['per_second']:.0f}",
        result["errors"],
    )


def verdict(met):
    return "met" if met else "**not met**"


def write_report(results):
    bare = results["bare"]
    bare_p95 = bare["p95_ms"]
    within = [p for p in results["pages"] if p["p95_ms"] <= 3 * bare_p95]
    gias = results["gias"]
    two_workers = [r for r in results["runs"] if r["workers"] == 2]
    lines = [
        "# Performance",
        "",
        f"Measured {results['when']} on this machine ({results['cores']} cores, Python "
        f"{platform.python_version()}), PostgreSQL and Redis local. Reproduce with `make bench` "
        "(about 6 minutes here); raw figures are in `benchmarks/out/results.json`.",
        "",
        "## Targets",
        "",
        row("target", "result", "verdict"),
        "|---|---|---|",
        row(
            "main pages within 3x of the bare view at p95",
            f"{len(within)} of {len(results['pages'])} pages",
            verdict(len(within) == len(results["pages"])),
        ),
        row(
            "annual run of 600 schools with PDFs under 60 s on 2 cores (2 workers)",
            ", ".join(f"{r['total_s']} s" for r in two_workers),
            verdict(all(r["total_s"] < 60 for r in two_workers)),
        ),
        row(
            "50,000-row GIAS import under 60 s",
            f"{gias['new_s']} s new, {gias['all_changed_s']} s all changed",
            verdict(max(gias["new_s"], gias["unchanged_s"], gias["all_changed_s"]) < 60),
        ),
        "",
        "## Pages under 16 concurrent connections",
        "",
        f"gunicorn with {results['gunicorn_workers']} sync workers, DEBUG off, the national data "
        "set (22,000 schools, 5 years of memberships, 100,000 bookings, 50,000 invoices). "
        f"Each page: {CONNECTIONS} connections × {REQUESTS} requests after a warm-up, from a load "
        "generator on the same machine. The ratio is the page's p95 over the bare view's p95 in "
        "the same run.",
        "",
        row("page", "role", "p50 ms", "p95 ms", "p95 / bare", "req/s", "errors"),
        "|---|---|---:|---:|---:|---:|---:|",
        timing_row("bare Django view (`/health/bare/`)", "-", bare, bare_p95),
        timing_row(
            "bare Django view, signed in", "coordinator", results["bare_signed_in"], bare_p95
        ),
    ]
    for page in results["pages"]:
        lines.append(
            timing_row(f"{page['label']} (`{page['path']}`)", page["role"], page, bare_p95)
        )
    lines += [
        "",
        "## CPU per page, in one process",
        "",
        "Each page through the whole middleware stack with django.test.Client, signed in, "
        "DEBUG off: the median of 30 requests after 5 warm-up requests of the process's CPU "
        "time (`time.process_time`), user and system time (`resource.getrusage`), the SQL "
        "time (`connection.execute_wrapper`), the queries and the HTML size. The floors are "
        "the same rows of the same queryset built by hand (benchmarks/floors.py): plain is a "
        "bare table, layout the GOV.UK layout with a hand-written table, full the same with "
        "the filter form, count, pagination and sort links. The ratios are the page's CPU "
        "over each floor's. Reproduce with `make bench`, or on a built data set "
        "`python -m benchmarks.steps cpu 30` (DATABASE_URL naming it, DJANGO_DEBUG=0).",
        "",
        *(
            [
                f"**Small scale: BENCH_SCALE={results['national'].get('scale')}**, not the "
                "national data set.",
                "",
            ]
            if results["national"].get("scale", 1) != 1
            else []
        ),
        *cpu_lines(results["cpu"]),
        "",
        *[
            f"- Warning: `{p['path']}` spends {p['system_ms']:.1f} ms of system time per request."
            for p in system_time_jumps(results["cpu"])
        ],
        "",
        "## GIAS import, 50,000 rows",
        "",
        row("import", "seconds", "report"),
        "|---|---:|---|",
        row("new register", gias["new_s"], gias["first"]),
        row("same file again", gias["unchanged_s"], gias["again"]),
        row("every school changed, new census", gias["all_changed_s"], gias["changed"]),
        "",
        "## Annual invoice run of 600 schools with PDFs",
        "",
        "The run issues the invoices in one transaction (one worker), then the PDFs are "
        "rendered in chunks of 50 across the workers.",
        "",
        row("workers", "invoices", "PDFs", "invoicing s", "total s", "invoices per second"),
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        lines.append(
            row(
                run["workers"],
                run["invoices"],
                run["pdfs"],
                run["invoice_s"],
                run["total_s"],
                run["per_second"],
            )
        )
    lines += [
        "",
        f"Building the national data set took {results['national']['seconds']} s.",
        "",
        "## Reading these figures",
        "",
        "- The bare view does nothing; signed out it does not even load a session. The "
        "signed-in row shows what loading the session and the person costs on every page.",
        "- At this scale each page's SQL takes a few milliseconds (indexes on the orders the "
        "lists open in, totals worked out in the database), and the number of queries per page "
        "does not grow with the rows (tests/partnership/test_query_counts.py and each app's "
        "tests).",
        "- The rest is building the HTML: the GOV.UK layout and a 50-row table cost 20 to 50 ms "
        "of CPU for one request on its own (`benchmarks/` has no profiler; "
        "`python -m cProfile` on a test client request shows django-tables2 and template "
        "rendering first). Sixteen connections on two cores, shared with the load generator, "
        "queue behind that work, which is what the p95 figures show.",
        "",
    ]
    (ROOT / "docs" / "performance.md").write_text("\n".join(lines))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
