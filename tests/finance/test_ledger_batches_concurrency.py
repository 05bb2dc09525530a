"""Two finance officers exporting at the same moment on PostgreSQL: every entry goes out in
exactly one batch, the batches are numbered without gaps, and the later export finds
nothing left (an empty batch is refused, not made)."""

import datetime
import threading

import pytest
from django.db import connection

from finance.ledger_batches import NothingToExport, export_batch
from finance.models import ExportBatch, LedgerEntry
from finance.services import record_journal
from tests.conftest import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_two_exports_at_once_put_no_entry_in_two_batches(db):
    for day in range(1, 21):
        record_journal(
            side="expenditure",
            amount="10",
            entry_date=datetime.date(2026, 10, day),
            description=f"Cost {day}",
            reason="Test",
        )
    runners = 4
    barrier = threading.Barrier(runners)
    made, empty, errors = [], [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            # Half export October only, half up to the end of November: the same entries.
            up_to = datetime.date(2026, 10, 31) if index % 2 else datetime.date(2026, 11, 30)
            made.append(export_batch(up_to=up_to).number)
        except NothingToExport:
            empty.append(index)
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
    assert made == [1] and len(empty) == runners - 1
    batch = ExportBatch.objects.get()
    assert batch.entry_count == 20 == LedgerEntry.objects.filter(export_batch=batch).count()
    assert batch.content.count("\n") == 21  # the header and each entry once
