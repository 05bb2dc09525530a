"""The database cache's table (settings.CACHES["default"]): sign-in's rate limits and
used-code markers live there so that they do not vanish with Redis."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Makes the table of every database cache in the settings; one already there is left.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    for config in settings.CACHES.values():
        if config["BACKEND"].endswith("DatabaseCache"):
            table = schema_editor.quote_name(config["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0003_partnership_legal_form"),
    ]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
