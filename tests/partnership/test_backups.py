"""The restore drill, for real: records made through the services are backed up with the
machine's pg_dump, restored with its pg_restore into a new database, and found there."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from finance import pdf, services
from finance.models import Invoice, LedgerEntry, Payment
from partnership.backups import _connect
from schools.models import School
from tests.conftest import requires_postgresql
from tests.finance.conftest import booking_charge, membership_charge

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


@pytest.fixture
def fresh_name():
    """A database name nobody uses; the database is dropped after the test."""
    name = f"restore_drill_{uuid.uuid4().hex[:10]}"
    yield name
    server = _connect(connection.settings_dict, "postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


def in_database(name, sql):
    restored = _connect(connection.settings_dict, name)
    try:
        with restored.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        restored.close()


def test_a_backup_restores_into_a_fresh_database_with_the_same_records(
    settings, tmp_path, partnership_record, school_a, school_b, fresh_name
):
    invoice = services.issue_invoice(
        school=school_a,
        lines=[membership_charge("membership:a", "1200.00"), booking_charge("b:1", "2", "350")],
        issue_date=TODAY,
    )
    services.issue_invoice(
        school=school_b, lines=[membership_charge("membership:b", "640.50")], issue_date=TODAY
    )
    services.record_payment(invoice=invoice, amount="500", received_on=TODAY, method="bacs")
    stored = pdf.invoice_pdf(invoice)
    call_command("backup", to=str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]

    call_command("restore", str(folder), database=fresh_name, media_root=str(tmp_path / "restored"))

    counts = in_database(
        fresh_name,
        "SELECT (SELECT count(*) FROM schools_school), (SELECT count(*) FROM finance_invoice), "
        "(SELECT count(*) FROM finance_payment), (SELECT count(*) FROM finance_ledgerentry)",
    )
    assert counts == [
        (
            School.objects.count(),
            Invoice.objects.count(),
            Payment.objects.count(),
            LedgerEntry.objects.count(),
        )
    ]
    assert in_database(
        fresh_name,
        f"SELECT net_total, vat_total, gross_total FROM finance_invoice "
        f"WHERE number = '{invoice.number}'",
    ) == [(invoice.net_total, invoice.vat_total, invoice.gross_total)]
    assert invoice.gross_total == Decimal("1900.00")  # 1,200 + 2 × 350, no VAT set
    # The restored database still refuses changes to issued invoices.
    assert in_database(
        fresh_name, "SELECT tgname FROM pg_trigger WHERE tgname = 'finance_invoice_immutable'"
    ) == [("finance_invoice_immutable",)]
    restored_pdf = tmp_path / "restored" / stored.file.name
    assert restored_pdf.read_bytes() == stored.file.open("rb").read()


def test_restore_refuses_a_database_that_holds_tables_and_a_damaged_backup(
    tmp_path, partnership_record, school_a, fresh_name
):
    call_command("backup", to=str(tmp_path / "backups"))
    [folder] = (tmp_path / "backups").iterdir()
    call_command("restore", str(folder), database=fresh_name)
    with pytest.raises(CommandError, match=f"The database {fresh_name} already holds tables"):
        call_command("restore", str(folder), database=fresh_name)
    # The live database too: it is never replaced by accident.
    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore", str(folder), database=connection.settings_dict["NAME"])
    call_command("restore", str(folder), database=fresh_name, replace=True)

    dump = folder / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="database.dump does not match its checksum"):
        call_command("restore", str(folder), database=fresh_name, replace=True)
