"""Indexes for finding a school by what a visitor types on the public fee calculator.

`name__icontains` and `postcode__istartswith` compare UPPER(column) on PostgreSQL, so the
indexes are on those expressions: a trigram index (pg_trgm, a trusted extension the
database's owner may create) for a name containing the text, and a pattern index for a
postcode starting with it. PostgreSQL only: SQLite (make run on a bare machine) scans its
few hundred schools, and the model's state does not change.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS schools_school_name_trgm "
    "ON schools_school USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS schools_school_postcode_prefix "
    "ON schools_school (UPPER(postcode) text_pattern_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS schools_school_postcode_prefix",
    "DROP INDEX IF EXISTS schools_school_name_trgm",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("schools", "0006_audit_school_contacts")]

    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
