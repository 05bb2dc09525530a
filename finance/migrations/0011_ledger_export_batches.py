"""Ledger export batches, the ledger's layout and codes from the partnership file.

On PostgreSQL a ledger entry still refuses every UPDATE and DELETE but one: naming the
export batch it went out in, once (export_batch_id from empty to a batch, nothing else
changed). So the database itself keeps an entry out of a second batch. Export batches
and their history refuse UPDATE and DELETE like the other financial records.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

LEDGER_FUNCTION = """
CREATE OR REPLACE FUNCTION finance_ledgerentry_refuse_change() RETURNS trigger AS $$
DECLARE
    unexported finance_ledgerentry%ROWTYPE;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.export_batch_id IS NULL AND NEW.export_batch_id IS NOT NULL THEN
        unexported := NEW;
        unexported.export_batch_id := NULL;
        IF unexported IS NOT DISTINCT FROM OLD THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'finance_ledgerentry rows are never updated or deleted, except to name once the export batch they went out in: reverse them instead';
END;
$$ LANGUAGE plpgsql;
"""
LOCKED = ("finance_exportbatch", "finance_historicalexportbatch")


def lock(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LEDGER_FUNCTION, params=None)
    schema_editor.execute("DROP TRIGGER finance_ledgerentry_immutable ON finance_ledgerentry;")
    schema_editor.execute(
        "CREATE TRIGGER finance_ledgerentry_immutable BEFORE UPDATE OR DELETE ON "
        "finance_ledgerentry FOR EACH ROW EXECUTE FUNCTION finance_ledgerentry_refuse_change();"
    )
    for table in LOCKED:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();"
        )


def unlock(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in LOCKED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute("DROP TRIGGER finance_ledgerentry_immutable ON finance_ledgerentry;")
    schema_editor.execute(
        "CREATE TRIGGER finance_ledgerentry_immutable BEFORE UPDATE OR DELETE ON "
        "finance_ledgerentry FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS finance_ledgerentry_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0010_bank_receipts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerLayout",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "columns",
                    models.JSONField(
                        default=list,
                        help_text='In order: {"heading": ..., "field": ...} or {"heading", "value"}.',
                    ),
                ),
                ("date_format", models.CharField(default="yyyy-mm-dd", max_length=20)),
                (
                    "credits",
                    models.CharField(
                        default="positive",
                        help_text="positive or negative: the sign of a credit.",
                        max_length=10,
                    ),
                ),
                (
                    "accounts",
                    models.JSONField(
                        default=dict,
                        help_text="Codes by kind of entry: cost_centre, account_code, cfr_code.",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="budgetline",
            name="account_code",
            field=models.CharField(
                blank=True, max_length=30, verbose_name="account (subjective) code"
            ),
        ),
        migrations.AddField(
            model_name="budgetline",
            name="cfr_code",
            field=models.CharField(blank=True, max_length=10, verbose_name="CFR code"),
        ),
        migrations.AddField(
            model_name="budgetline",
            name="cost_centre",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="historicalbudgetline",
            name="account_code",
            field=models.CharField(
                blank=True, max_length=30, verbose_name="account (subjective) code"
            ),
        ),
        migrations.AddField(
            model_name="historicalbudgetline",
            name="cfr_code",
            field=models.CharField(blank=True, max_length=10, verbose_name="CFR code"),
        ),
        migrations.AddField(
            model_name="historicalbudgetline",
            name="cost_centre",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="historicalledgerentry",
            name="reposts",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The reversed entry this one posts again, corrected.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="finance.ledgerentry",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="reposts",
            field=models.ForeignKey(
                blank=True,
                help_text="The reversed entry this one posts again, corrected.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reposted_as",
                to="finance.ledgerentry",
            ),
        ),
        migrations.AlterField(
            model_name="documentsequence",
            name="kind",
            field=models.CharField(
                choices=[
                    ("invoice", "Invoice"),
                    ("credit_note", "Credit note"),
                    ("ledger_batch", "Ledger export batch"),
                ],
                max_length=12,
            ),
        ),
        migrations.CreateModel(
            name="ExportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True)),
                (
                    "up_to",
                    models.DateField(help_text="It took the entries dated on or before this day."),
                ),
                ("first_entry_on", models.DateField()),
                ("last_entry_on", models.DateField()),
                ("entry_count", models.PositiveIntegerField()),
                ("debit_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("credit_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("file_name", models.CharField(max_length=100)),
                ("content", models.TextField(help_text="The file as it was exported (UTF-8 CSV).")),
                ("sha256", models.CharField(max_length=64)),
                ("exported_at", models.DateTimeField(auto_now_add=True)),
                (
                    "exported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "export batches",
                "ordering": ["-number"],
            },
        ),
        migrations.AddField(
            model_name="historicalledgerentry",
            name="export_batch",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The batch it went to the council's finance system in; blank: not yet.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="finance.exportbatch",
            ),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="export_batch",
            field=models.ForeignKey(
                blank=True,
                help_text="The batch it went to the council's finance system in; blank: not yet.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="finance.exportbatch",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalExportBatch",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(db_index=True)),
                (
                    "up_to",
                    models.DateField(help_text="It took the entries dated on or before this day."),
                ),
                ("first_entry_on", models.DateField()),
                ("last_entry_on", models.DateField()),
                ("entry_count", models.PositiveIntegerField()),
                ("debit_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("credit_total", models.DecimalField(decimal_places=2, max_digits=12)),
                ("file_name", models.CharField(max_length=100)),
                ("sha256", models.CharField(max_length=64)),
                ("exported_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "exported_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical export batch",
                "verbose_name_plural": "historical export batches",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLedgerLayout",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "columns",
                    models.JSONField(
                        default=list,
                        help_text='In order: {"heading": ..., "field": ...} or {"heading", "value"}.',
                    ),
                ),
                ("date_format", models.CharField(default="yyyy-mm-dd", max_length=20)),
                (
                    "credits",
                    models.CharField(
                        default="positive",
                        help_text="positive or negative: the sign of a credit.",
                        max_length=10,
                    ),
                ),
                (
                    "accounts",
                    models.JSONField(
                        default=dict,
                        help_text="Codes by kind of entry: cost_centre, account_code, cfr_code.",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical ledger layout",
                "verbose_name_plural": "historical ledger layouts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="exportbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(("entry_count__gt", 0)), name="export_batch_is_never_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="exportbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("first_entry_on__lte", models.F("last_entry_on")),
                    ("last_entry_on__lte", models.F("up_to")),
                ),
                name="export_batch_entries_within_its_period",
            ),
        ),
        migrations.RunPython(lock, unlock),
    ]
