"""Two invoice runs issuing at the same moment on PostgreSQL get distinct, gapless numbers."""

import datetime
import threading

import pytest
from django.db import connection

from finance.models import Invoice
from finance.services import issue_invoice
from tests.conftest import requires_postgresql

from .conftest import membership_charge

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_concurrent_issues_get_distinct_gapless_numbers(partnership_record, school_a, school_b):
    runners = 4
    barrier = threading.Barrier(runners)
    numbers, errors = [], []

    def run(index):
        try:
            school = school_a if index % 2 else school_b
            barrier.wait(timeout=10)
            invoice = issue_invoice(
                school=school,
                lines=[membership_charge(f"membership:{index}", "100")],
                issue_date=datetime.date(2026, 9, 1),
            )
            numbers.append(invoice.number)
        except Exception as exc:  # reported below: the assertion shows what went wrong
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [f"INV-2026-27-{n:05d}" for n in range(1, runners + 1)]
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
