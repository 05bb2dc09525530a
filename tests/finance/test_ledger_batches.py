"""Export batches: the entries not yet exported up to a day go out once, in the partnership
file's layout; a batch downloads again as the same bytes; an exported entry never changes."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from finance.ledger_batches import (
    NothingToExport,
    batch_download,
    export_batch,
    repost_entry,
    waiting,
)
from finance.models import BudgetLine, ExportBatch, ImmutableRecordError, LedgerEntry
from finance.services import FinanceError, record_journal, record_source_entry, reverse_entry
from partnership.partnership_file import load_text
from tests.conftest import requires_postgresql

from .conftest import booking_charge

D = Decimal
pytestmark = pytest.mark.django_db
OCT = datetime.date(2026, 10, 31)


def journal(amount, day, side="expenditure", description="Chair", line=None):
    return record_journal(
        side=side,
        amount=amount,
        entry_date=day,
        description=description,
        reason="Chair's invoice",
        budget_line=line,
    )


@pytest.fixture
def october(issue, school_a):
    """A sale of £700 on 5 October, a £600 cost on 2 October, a £250 cost on 3 November."""
    issue(school_a, lines=[booking_charge("booking:1", "2", "350", on=datetime.date(2026, 10, 5))])
    journal("600", datetime.date(2026, 10, 2))
    journal("250", datetime.date(2026, 11, 3))


def test_a_batch_takes_the_entries_up_to_the_day_in_the_default_layout(october, finance_officer):
    batch = export_batch(up_to=OCT, exported_by=finance_officer)
    assert (batch.number, batch.entry_count) == (1, 2)
    assert (batch.debit_total, batch.credit_total) == (D("600.00"), D("700.00"))
    assert (batch.first_entry_on, batch.last_entry_on) == (
        datetime.date(2026, 10, 2),
        datetime.date(2026, 10, 5),
    )
    assert batch.content.splitlines() == [
        "Date,Account code,Cost centre,Description,Amount,Reference",
        "2026-10-02,J9000,SIP01,Chair,-600.00,",
        "2026-10-05,I1100,SIP01,Peer review,700.00,INV-2026-27-00001",
    ]
    assert batch.sha256 == hashlib.sha256(batch.content.encode()).hexdigest()
    assert batch.file_name == "ledger-batch-00001-to-2026-10-31.csv"
    assert set(LedgerEntry.objects.filter(export_batch=batch).values_list("entry_date", flat=True))
    assert LedgerEntry.objects.filter(export_batch__isnull=True).count() == 1  # November's


def test_the_check_figures_are_the_batchs(october):
    check = waiting(OCT)
    batch = export_batch(up_to=OCT, checked=check.fingerprint)
    assert (check.count, check.debits, check.credits) == (
        batch.entry_count,
        batch.debit_total,
        batch.credit_total,
    )


def test_a_second_batch_takes_only_what_the_first_did_not(october):
    first = export_batch(up_to=OCT)
    second = export_batch(up_to=datetime.date(2026, 11, 30))
    assert (second.number, second.entry_count, second.debit_total) == (2, 1, D("250.00"))
    assert not set(first.entries.all()) & set(second.entries.all())


def test_an_empty_batch_is_refused_and_uses_no_number(october):
    export_batch(up_to=OCT)
    with pytest.raises(NothingToExport, match="no entries up to 31 October 2026"):
        export_batch(up_to=OCT)
    assert ExportBatch.objects.count() == 1
    assert export_batch(up_to=datetime.date(2026, 11, 30)).number == 2


def test_a_day_still_to_come_is_refused(october):
    with pytest.raises(FinanceError, match="today or earlier"):
        export_batch(up_to=datetime.date(2099, 1, 1))
    assert not ExportBatch.objects.exists()


def test_what_changed_after_the_check_is_not_exported(october):
    check = waiting(OCT)
    journal("10", datetime.date(2026, 10, 20))
    with pytest.raises(FinanceError, match="changed after you checked"):
        export_batch(up_to=OCT, checked=check.fingerprint)
    assert not ExportBatch.objects.exists()
    assert not LedgerEntry.objects.filter(export_batch__isnull=False).exists()


def test_a_batch_downloads_again_as_the_same_bytes_named_a_copy(october):
    batch = export_batch(up_to=OCT)
    first = batch.content_bytes
    # The layout changing later does not change a batch already exported.
    load_text(LAYOUT_FILE)
    content, name = batch_download(ExportBatch.objects.get(pk=batch.pk))
    assert content == first
    assert name == "ledger-batch-00001-to-2026-10-31-copy.csv"
    assert ExportBatch.objects.count() == 1


def test_an_exported_entry_cannot_be_changed_or_deleted(october):
    export_batch(up_to=OCT)
    entry = LedgerEntry.objects.filter(export_batch__isnull=False).first()
    entry.description = "Edited"
    with pytest.raises(ImmutableRecordError, match="export batch 1: reverse it"):
        entry.save()
    with pytest.raises(ImmutableRecordError, match="export batch 1"):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        LedgerEntry.objects.filter(pk=entry.pk).update(description="Edited")
    assert LedgerEntry.objects.get(pk=entry.pk).description != "Edited"


def test_the_admin_offers_no_change_or_delete_of_an_entry(october, finance_officer):
    export_batch(up_to=OCT)
    entry = LedgerEntry.objects.filter(export_batch__isnull=False).first()
    request = RequestFactory().get("/")
    request.user = finance_officer
    for model in (LedgerEntry, ExportBatch):
        admin = site._registry[model]
        assert not admin.has_change_permission(request, entry)
        assert not admin.has_delete_permission(request, entry)
        assert not admin.has_add_permission(request)


@requires_postgresql
def test_the_database_refuses_a_second_batch_for_an_entry_and_any_other_change(october):
    first = export_batch(up_to=OCT)
    entry = first.entries.first()
    for sql, params in (
        ("UPDATE finance_ledgerentry SET export_batch_id = NULL WHERE id = %s", [entry.pk]),
        ("UPDATE finance_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk]),
        ("DELETE FROM finance_ledgerentry WHERE id = %s", [entry.pk]),
        ("UPDATE finance_exportbatch SET entry_count = 9 WHERE id = %s", [first.pk]),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    unexported = LedgerEntry.objects.get(export_batch__isnull=True)
    # Naming the batch and changing anything else at once is refused too.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE finance_ledgerentry SET export_batch_id = %s, amount = 1 WHERE id = %s",
            [first.pk, unexported.pk],
        )
    assert LedgerEntry.objects.get(pk=unexported.pk).export_batch_id is None


def test_correcting_an_exported_entry_reverses_and_reposts_it_for_the_next_batch(october):
    export_batch(up_to=OCT)
    cost = LedgerEntry.objects.get(description="Chair", entry_date=datetime.date(2026, 10, 2))
    reversal, repost = repost_entry(
        entry=cost,
        reason="The chair's invoice was £650",
        entry_date=datetime.date(2026, 11, 10),
        amount="650",
        description="Chair, corrected",
    )
    cost.refresh_from_db()
    assert (cost.amount, cost.export_batch.number) == (D("600.00"), 1)  # unchanged
    assert (reversal.amount, reversal.reverses, reversal.export_batch) == (D("-600.00"), cost, None)
    assert (repost.amount, repost.reposts, repost.entry_type) == (D("650.00"), cost, "journal")
    second = export_batch(up_to=datetime.date(2026, 11, 30))
    assert set(second.entries.all()) >= {reversal, repost}
    assert second.content.splitlines()[1:] == [
        "2026-11-03,J9000,SIP01,Chair,-250.00,",
        "2026-11-10,J9000,SIP01,Reversal: Chair,600.00,",
        '2026-11-10,J9000,SIP01,"Chair, corrected",-650.00,',
    ]


def test_a_reversal_posts_to_the_codes_of_what_it_reverses(db):
    record_source_entry(
        side="expenditure",
        entry_type="deployment_cost",
        source_key="deployment:1",
        entry_date=datetime.date(2026, 10, 6),
        amount="450",
        description="LLE day",
    )
    entry = LedgerEntry.objects.get()
    reverse_entry(entry=entry, reason="Not delivered", entry_date=datetime.date(2026, 10, 9))
    lines = export_batch(up_to=OCT).content.splitlines()
    assert lines[1:] == [
        "2026-10-06,E4100,SIP01,LLE day,-450.00,deployment:1",
        "2026-10-09,E4100,SIP01,Reversal: LLE day,450.00,",
    ]


def test_a_correction_needs_an_amount_and_changes_nothing_when_refused(october):
    cost = LedgerEntry.objects.get(description="Chair", entry_date=datetime.date(2026, 10, 2))
    with pytest.raises(FinanceError, match="other than £0.00"):
        repost_entry(
            entry=cost,
            reason="x",
            entry_date=datetime.date(2026, 11, 1),
            amount="0",
            description="y",
        )
    assert LedgerEntry.objects.count() == 3


LAYOUT_FILE = """
format: 1
partnership:
  name: Hillingdon Schools' Improvement Partnership
  local_authority: {code: 312, name: Hillingdon}
year: {academic_year: 2026/27, census_date: 2026-01-15}
costs:
  - {code: chair, name: Independent chair, kind: core, quantity: 20, unit: day, unit_cost: "600",
     cost_centre: SIP09, account_code: E4300, cfr_code: e28}
ledger:
  date_format: dd/mm/yyyy
  credits: negative
  columns:
    - {heading: Journal date, field: date}
    - {heading: Period, field: period}
    - {heading: Cost centre, field: cost_centre}
    - {heading: Subjective, field: account_code}
    - {heading: CFR, field: cfr_code}
    - {heading: Debit, field: debit}
    - {heading: Credit, field: credit}
    - {heading: Amount, field: amount}
    - {heading: Narrative, field: description}
    - {heading: Source, value: SIP}
    - {heading: Batch, field: batch}
  accounts:
    sales: {cost_centre: SIP05, account_code: I7000, cfr_code: I08}
"""


def test_the_partnership_files_layout_and_codes_shape_the_file(issue, school_a):
    load_text(LAYOUT_FILE)
    issue(school_a, lines=[booking_charge("booking:1", "2", "350", on=datetime.date(2026, 10, 5))])
    chair = BudgetLine.objects.get(code="chair")
    journal("600", datetime.date(2026, 10, 2), line=chair)
    journal("30", datetime.date(2026, 10, 3), side="income", description="Refund")
    assert export_batch(up_to=OCT).content.splitlines() == [
        "Journal date,Period,Cost centre,Subjective,CFR,Debit,Credit,Amount,Narrative,Source,Batch",
        "02/10/2026,7,SIP09,E4300,E28,600.00,,600.00,Chair,SIP,1",
        "03/10/2026,7,SIP01,J9000,,,30.00,-30.00,Refund,SIP,1",
        "05/10/2026,7,SIP05,I7000,I08,,700.00,-700.00,Peer review,SIP,1",
    ]


@pytest.mark.parametrize(
    "ledger, problem",
    [
        ("{date_format: mm/dd/yyyy}", "ledger.date_format: must be one of"),
        ("{credits: sometimes}", "ledger.credits: must be one of negative, positive"),
        ("{columns: [{heading: Date, field: when}]}", "ledger.columns[0].field: must be one of"),
        ("{columns: [{heading: Date, field: date}]}", "ledger.columns: needs an amount column"),
        (
            "{columns: [{heading: A, field: amount}, {heading: a, field: date}]}",
            "ledger.columns[1].heading: duplicate heading 'a'",
        ),
        ("{columns: [{heading: A, field: amount, value: x}]}", "ledger.columns[0]: needs either"),
        ("{accounts: {fees: {cost_centre: X}}}", "ledger.accounts.fees: unknown key"),
        ("{accounts: {sales: {cfr_code: 8}}}", "ledger.accounts.sales.cfr_code: must be a CFR"),
        ("{layout: x}", "ledger.layout: unknown key"),
    ],
)
def test_a_bad_layout_is_refused_with_its_path(db, ledger, problem):
    from finance.models import LedgerLayout
    from partnership.partnership_file import PartnershipFileError

    text = (
        "format: 1\npartnership: {name: P, local_authority: {code: 312, name: H}}\n"
        f"ledger: {ledger}\n"
    )
    with pytest.raises(PartnershipFileError) as raised:
        load_text(text)
    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems
    assert not LedgerLayout.objects.exists()
