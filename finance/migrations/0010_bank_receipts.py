"""Receipts from the bank: uploaded bank files, their lines, and each line recorded as a
payment (BankReceipt), once. On PostgreSQL a recorded receipt and its history refuse
UPDATE and DELETE like the other financial records (the trigger function of 0002).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

LOCKED = ("finance_bankreceipt", "finance_historicalbankreceipt")


def lock(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0009_invoices_to_the_la"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BankStatement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255)),
                (
                    "columns",
                    models.CharField(
                        help_text="The columns read, as found in the file's header row.",
                        max_length=500,
                    ),
                ),
                (
                    "rows",
                    models.PositiveIntegerField(default=0, help_text="Rows of transactions read."),
                ),
                (
                    "ignored",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Rows of money out, negative, nil or no amount: not receipts.",
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "uploaded_by",
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
                "ordering": ["-uploaded_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalBankReceipt",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("fingerprint", models.CharField(db_index=True, max_length=64)),
                (
                    "line",
                    models.PositiveIntegerField(
                        help_text="Its line in the file it was recorded from."
                    ),
                ),
                ("received_on", models.DateField()),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("text", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
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
                (
                    "payment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="finance.payment",
                    ),
                ),
                (
                    "recorded_by",
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
                    "statement",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="finance.bankstatement",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical bank receipt",
                "verbose_name_plural": "historical bank receipts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="BankReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("fingerprint", models.CharField(max_length=64, unique=True)),
                (
                    "line",
                    models.PositiveIntegerField(
                        help_text="Its line in the file it was recorded from."
                    ),
                ),
                ("received_on", models.DateField()),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("text", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "payment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bank_receipt",
                        to="finance.payment",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="receipts",
                        to="finance.bankstatement",
                    ),
                ),
            ],
            options={
                "ordering": ["received_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="bank_receipt_is_money_in"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="BankStatementLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "line",
                    models.PositiveIntegerField(
                        help_text="Its line in the file (the header is line 1)."
                    ),
                ),
                ("received_on", models.DateField()),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                ("description", models.TextField(blank=True)),
                ("reference", models.TextField(blank=True)),
                ("fingerprint", models.CharField(db_index=True, max_length=64)),
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="finance.bankstatement",
                    ),
                ),
            ],
            options={
                "ordering": ["statement", "line"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("statement", "line"), name="one_bank_line_per_line"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="bank_line_is_money_in"
                    ),
                ],
            },
        ),
        migrations.RunPython(lock, unlock),
    ]
