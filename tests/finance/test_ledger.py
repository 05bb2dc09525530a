import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from finance.models import ImmutableRecordError, LedgerEntry
from finance.services import FinanceError, record_journal, record_source_entry, reverse_entry
from tests.conftest import requires_postgresql
from tests.factories import budget_line

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_line(db):
    return budget_line(
        code="chair",
        name="Independent chair",
        kind="core",
        quantity=20,
        unit_cost=600,
        amount=D("12000"),
    )


def test_a_journal_needs_a_reason_and_is_kept_with_it(chair_line, finance_officer):
    with pytest.raises(FinanceError, match="reason"):
        record_journal(
            side="expenditure",
            amount="600",
            entry_date=datetime.date(2026, 10, 2),
            description="Chair, October",
            reason="",
            budget_line=chair_line,
        )
    entry = record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 10, 2),
        description="Chair, October",
        reason="Invoice 55 from the chair",
        budget_line=chair_line,
        entered_by=finance_officer,
    )
    assert (entry.financial_year, entry.reason, entry.entered_by) == (
        "2026-27",
        "Invoice 55 from the chair",
        finance_officer,
    )


def test_entries_are_reversed_never_edited(chair_line):
    entry = record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 10, 2),
        description="Chair, October",
        reason="Chair invoice",
        budget_line=chair_line,
    )
    entry.amount = D("700")
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    reversal = reverse_entry(
        entry=entry, reason="Posted twice", entry_date=datetime.date(2026, 6, 1)
    )
    assert (reversal.amount, reversal.reverses, reversal.budget_line) == (
        D("-600.00"),
        entry,
        chair_line,
    )
    with pytest.raises(FinanceError, match="already been reversed"):
        reverse_entry(entry=entry, reason="Again", entry_date=datetime.date(2026, 6, 1))
    assert sum(e.amount for e in LedgerEntry.objects.all()) == D("0.00")


def test_a_delivered_cost_is_recorded_once():
    args = dict(
        side="expenditure",
        entry_type="deployment_cost",
        source_key="deployment:4",
        entry_date=datetime.date(2026, 10, 2),
        amount=D("500"),
        description="LLE day",
    )
    assert record_source_entry(**args) is True
    assert record_source_entry(**args) is False
    assert LedgerEntry.objects.count() == 1


@requires_postgresql
def test_the_database_refuses_to_change_a_ledger_entry(chair_line):
    entry = record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 10, 2),
        description="Chair, October",
        reason="Chair invoice",
        budget_line=chair_line,
    )
    with pytest.raises(DatabaseError, match="never updated or deleted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE finance_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="never updated or deleted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM finance_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("600.00")


def test_a_journal_against_a_budget_line_must_fall_in_the_lines_year(chair_line):
    with pytest.raises(FinanceError, match=r"2026/27 \(01/09/2026 to 31/08/2027\)"):
        record_journal(
            side="expenditure",
            amount="600",
            entry_date=datetime.date(2026, 5, 2),
            description="Chair, May",
            reason="Chair invoice",
            budget_line=chair_line,
        )
    assert not LedgerEntry.objects.exists()
