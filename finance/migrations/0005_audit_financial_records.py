"""Start the history of financial records written before it was kept, then lock it.

Each invoice, credit note, payment, ledger entry and invoice email already written gets
its "created" history row, dated when it was written and naming the person the record
names (who issued, recorded or entered it). On PostgreSQL the history tables then refuse
UPDATE and DELETE like the records themselves (the trigger function of migration 0002).
"""

from django.db import migrations

BATCH = 2000

# Live model, history model, when it was written, who wrote it.
RECORDS = (
    ("Invoice", "HistoricalInvoice", "created_at", "issued_by_id"),
    ("CreditNote", "HistoricalCreditNote", "created_at", "issued_by_id"),
    ("Payment", "HistoricalPayment", "created_at", "recorded_by_id"),
    ("LedgerEntry", "HistoricalLedgerEntry", "created_at", "entered_by_id"),
    ("InvoiceEmail", "HistoricalInvoiceEmail", "sent_at", None),
)

HISTORY_TABLES = (
    "finance_historicalinvoice",
    "finance_historicalcreditnote",
    "finance_historicalpayment",
    "finance_historicalledgerentry",
    "finance_historicalinvoiceemail",
)


def record_what_was_written(apps, schema_editor):
    for live_name, history_name, written_at, written_by in RECORDS:
        live = apps.get_model("finance", live_name)
        history = apps.get_model("finance", history_name)
        columns = [field.attname for field in live._meta.concrete_fields]
        batch = []
        for row in live.objects.order_by("pk").values(*columns).iterator(chunk_size=BATCH):
            batch.append(
                history(
                    **row,
                    history_date=row[written_at],
                    history_type="+",
                    history_user_id=row[written_by] if written_by else None,
                )
            )
            if len(batch) == BATCH:
                history.objects.bulk_create(batch)
                batch = []
        history.objects.bulk_create(batch)


def lock_history(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in HISTORY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();"
        )


def unlock_history(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in HISTORY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")


class Migration(migrations.Migration):
    dependencies = [("finance", "0004_financial_record_history")]

    operations = [
        migrations.RunPython(record_what_was_written, migrations.RunPython.noop),
        migrations.RunPython(lock_history, unlock_history),
    ]
