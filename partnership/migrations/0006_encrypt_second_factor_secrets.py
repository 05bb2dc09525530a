"""Authenticator secrets stored before they were encrypted are encrypted now."""

from django.db import migrations


def forwards(apps, schema_editor):
    from partnership.mfa_adapter import encrypted_data

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        authenticator.data = encrypted_data(authenticator.data)
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_audit_people_and_settings"), ("mfa", "__latest__")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
