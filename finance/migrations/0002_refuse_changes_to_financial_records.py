"""On PostgreSQL the database itself refuses UPDATE and DELETE of issued financial records.

The models refuse them too; this catches raw SQL and any code that bypasses the ORM.
TRUNCATE (used to reset test databases) is a statement-level operation and is not
affected. SQLite (the embedded default) relies on the model checks.
"""

from django.db import migrations

TABLES = (
    "finance_invoice",
    "finance_invoiceline",
    "finance_creditnote",
    "finance_creditnoteline",
    "finance_payment",
    "finance_ledgerentry",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION finance_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never updated or deleted: reverse or credit them instead', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION finance_refuse_change();"
        )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS finance_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_trading_account")]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
