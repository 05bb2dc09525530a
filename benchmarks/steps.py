"""Benchmark steps, each run in its own process against the database in DATABASE_URL.

python -m benchmarks.steps gias ROWS          time the GIAS import (new, unchanged, all changed)
python -m benchmarks.steps national           build the national data set
python -m benchmarks.steps cpu [REPEAT]       CPU, SQL and HTML size per page and floor, in-process
python -m benchmarks.steps tables-ab [REPEAT] list pages' CPU with django-tables2's cells and ours
python -m benchmarks.steps sessions           signed-in session cookies, one per role (JSON)
python -m benchmarks.steps run-setup N        N schools with active memberships for a run
python -m benchmarks.steps invoice-run CHUNK  annual run + PDFs through the Celery workers

Each prints one JSON object on its last line.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

import django  # noqa: E402

django.setup()


def gias(rows):
    import csv
    import datetime
    import io

    from benchmarks.gias_file import write
    from schools.services import import_gias

    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "national.csv", rows=rows)
        data = path.read_bytes()
    census = datetime.date(2026, 1, 15)
    started = time.perf_counter()
    first = import_gias(data, census_date=census)
    new = time.perf_counter() - started
    started = time.perf_counter()
    again = import_gias(data, census_date=census)
    unchanged = time.perf_counter() - started
    reader = csv.reader(io.StringIO(data.decode("cp1252")))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(next(reader))
    for row in reader:
        row[4] = row[4] + " Academy"
        writer.writerow(row)
    started = time.perf_counter()
    changed = import_gias(out.getvalue().encode("cp1252"), census_date=datetime.date(2027, 1, 21))
    all_changed = time.perf_counter() - started
    return {
        "rows": rows,
        "new_s": round(new, 2),
        "unchanged_s": round(unchanged, 2),
        "all_changed_s": round(all_changed, 2),
        "first": first.summary(),
        "again": again.summary(),
        "changed": changed.summary(),
    }


def national():
    from django.db import connection

    from benchmarks.generate import SCALE, generate, national_sizes

    started = time.perf_counter()
    generate(**national_sizes(SCALE), say=lambda text: print(text, file=sys.stderr))
    seconds = time.perf_counter() - started
    # A live database has planner statistics (autovacuum); a bulk-loaded one needs them now.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"seconds": round(seconds, 1), "scale": SCALE, **national_sizes(SCALE)}


def sessions():
    from django.conf import settings

    from benchmarks.inprocess import signed_in_client
    from partnership.demo import DEMO_PEOPLE
    from partnership.models import User

    cookies = {}
    for email, _, _, role, _ in DEMO_PEOPLE:
        client = signed_in_client(User.objects.get(email=email))
        # A browser holds the CSRF cookie from its first page as well as the session cookie.
        client.get("/dashboard/", HTTP_HOST="127.0.0.1")
        cookies[str(role)] = "; ".join(
            f"{name}={client.cookies[name].value}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
    return cookies


def cpu(repeat=30):
    from benchmarks import inprocess
    from benchmarks.run import PAGES

    return inprocess.run(PAGES, repeat=repeat)


def inprocess_tables_ab(repeat):
    from benchmarks.inprocess import tables_ab

    return tables_ab(repeat)


def run_setup(count):
    import datetime
    from decimal import Decimal

    from benchmarks.gias_file import write
    from membership.models import Membership, MembershipYear
    from offers.models import Tier
    from partnership.demo import build_people
    from partnership.money import money
    from partnership.partnership_file import load_text
    from schools.models import School
    from schools.services import import_gias

    with tempfile.TemporaryDirectory() as folder:
        import_gias(
            write(Path(folder) / "la.csv", rows=count, seed=3),
            census_date=datetime.date(2026, 1, 15),
        )
    from django.conf import settings

    load_text((Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml").read_text())
    build_people()
    year = MembershipYear.objects.get(academic_year="2026/27")
    tier = Tier.objects.order_by("order").first()
    schools = list(School.objects.order_by("pk")[:count])
    rows = []
    for school in schools:
        fee = money(Decimal(280) * Decimal("19"))
        rows.append(
            Membership(
                school=school,
                year=year,
                tier=tier,
                status=Membership.Status.ACTIVE,
                joined_on=year.starts_on,
                fee_amount=fee,
                fee_pupils=280,
                fee_basis=f"280 pupils × £19.00 = £{fee:,.2f}",
                fee_census_date=year.census_date,
                signed_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),
            )
        )
    Membership.objects.bulk_create(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"memberships": len(rows)}


def invoice_run(chunk):
    import datetime

    from celery import group

    from finance import services, tasks
    from finance.models import Invoice, Job, StoredPdf

    started = time.perf_counter()
    job = services.start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    tasks.annual_membership_run.delay(job.pk, "2026/27", "2026-09-01").get(timeout=600)
    invoiced = time.perf_counter() - started
    ids = list(Invoice.objects.order_by("pk").values_list("pk", flat=True))
    chunks = [ids[i : i + chunk] for i in range(0, len(ids), chunk)]
    jobs = [services.start_job(kind=Job.Kind.INVOICE_PDFS, parameter="bench") for _ in chunks]
    group(
        tasks.render_invoice_pdfs.s(j.pk, part) for j, part in zip(jobs, chunks, strict=True)
    ).apply_async().get(timeout=900)
    total = time.perf_counter() - started
    return {
        "invoices": len(ids),
        "pdfs": StoredPdf.objects.count(),
        "invoice_s": round(invoiced, 2),
        "total_s": round(total, 2),
        "per_second": round(len(ids) / total, 1),
        "first_date": str(datetime.date(2026, 9, 1)),
    }


if __name__ == "__main__":
    step, *args = sys.argv[1:]
    result = {
        "gias": lambda: gias(int(args[0])),
        "national": national,
        "sessions": sessions,
        "tables-ab": lambda: inprocess_tables_ab(int(args[0]) if args else 30),
        "cpu": lambda: cpu(int(args[0]) if args else 30),
        "run-setup": lambda: run_setup(int(args[0])),
        "invoice-run": lambda: invoice_run(int(args[0])),
    }[step]()
    print(json.dumps(result))
