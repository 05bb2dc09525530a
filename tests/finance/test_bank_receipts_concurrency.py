"""Two confirmations of the same bank file at once, on PostgreSQL: each line is recorded
once, whoever confirms first, and the other confirmation is told, not failed."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from finance import receipts
from finance.models import BankReceipt, Payment
from finance.services import invoice_balance
from tests.conftest import requires_postgresql

from .conftest import membership_charge

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]
D = Decimal
ROWS = (
    "Date,Description,Money in\n"
    "03/11/2026,ALPHA INV-2026-27-00001,600.00\n"
    "03/11/2026,ALPHA INV-2026-27-00001,600.00\n"
    "04/11/2026,BETA INV-2026-27-00002,300.00\n"
)


def upload():
    return receipts.read_statement(SimpleUploadedFile("statement.csv", ROWS.encode()))


@pytest.fixture
def alpha_and_beta(issue, school_a, school_b):
    return (
        issue(school_a),  # £1,200.00
        issue(school_b, lines=[membership_charge("membership:b", "900.00")]),
    )


def run_together(*jobs):
    """Run each job in its own thread (its own database connection); their results."""
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            results[index] = job()
        except Exception as exc:  # reported below: the assertion shows what went wrong
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def every_line(statement, *invoices):
    lines = list(statement.lines.order_by("line"))
    return {line.pk: invoices[0] if line.line < 4 else invoices[1] for line in lines}


def test_confirmations_started_together_record_each_line_once(alpha_and_beta):
    alpha, beta = alpha_and_beta
    statements = [upload() for _ in range(4)]
    barrier = threading.Barrier(len(statements))

    def confirm(statement):
        def job():
            barrier.wait(timeout=10)
            return receipts.record_receipts(
                statement=statement, allocations=every_line(statement, alpha, beta)
            )

        return job

    results = run_together(*(confirm(statement) for statement in statements))
    assert sorted(len(result.payments) for result in results) == [0, 0, 0, 3]
    assert sorted(len(result.already) for result in results) == [0, 3, 3, 3]
    assert Payment.objects.count() == 3
    assert BankReceipt.objects.count() == 3
    assert invoice_balance(alpha) == D("0.00")
    assert invoice_balance(beta) == D("600.00")


def held_open(statement, allocations, barrier):
    """Record, then keep the transaction open a second after the other confirmation has
    started, so that one runs while these payments are written and not yet committed."""

    def job():
        with transaction.atomic():
            recorded = receipts.record_receipts(statement=statement, allocations=allocations)
            barrier.wait(timeout=10)
            time.sleep(1)
        return recorded

    return job


def after(statement, allocations, barrier):
    def job():
        barrier.wait(timeout=10)
        return receipts.record_receipts(statement=statement, allocations=allocations)

    return job


def test_the_later_confirmation_waits_for_the_invoice_then_finds_the_lines_recorded(
    alpha_and_beta,
):
    alpha, beta = alpha_and_beta
    first, second = upload(), upload()
    barrier = threading.Barrier(2)
    earlier, later = run_together(
        held_open(first, every_line(first, alpha, beta), barrier),
        after(second, every_line(second, alpha, beta), barrier),
    )
    assert (len(earlier.payments), len(later.payments), len(later.already)) == (3, 0, 3)
    assert Payment.objects.count() == 3


def test_a_line_given_to_different_invoices_at_once_is_still_recorded_once(alpha_and_beta):
    """No invoice is shared, so neither confirmation waits for the other's lock: the unique
    fingerprint makes the later insert wait, then stand aside, keeping nothing of it."""
    alpha, beta = alpha_and_beta
    first, second = upload(), upload()
    one = first.lines.get(line=4)
    same = second.lines.get(line=4)
    barrier = threading.Barrier(2)
    earlier, later = run_together(
        held_open(first, {one.pk: alpha}, barrier),
        after(second, {same.pk: beta}, barrier),
    )
    assert [p.invoice for p in earlier.payments] == [alpha]
    assert (later.payments, [line.line for line in later.already]) == ([], [4])
    assert list(Payment.objects.values_list("invoice", "amount")) == [(alpha.pk, D("300.00"))]
    assert invoice_balance(beta) == D("900.00")
