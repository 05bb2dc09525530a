"""Give every existing contact a role read from the free-text position they were given.

The position is kept as the job title. Business managers and bursars become the finance
contact (invoices went to everyone acting for the school; these are the people who pay
them); a position naming CPD or professional development marks the CPD lead.
"""

import re

from django.db import migrations

HEAD = re.compile(r"\b(head\s*teacher|head\s+of\s+school|principal|executive\s+head)\b|^head$")
NOT_THE_HEAD = re.compile(r"\b(deputy|assistant|vice)\b")
BUSINESS = re.compile(r"\b(business\s+manager|bursar|finance|sbm)\b")
CHAIR = re.compile(r"\bchair\b")
CPD = re.compile(r"\b(cpd|professional\s+development|training)\b")


def role_from_position(position: str) -> tuple[str, bool, bool]:
    """(role, is_finance_contact, is_cpd_lead) for a free-text position."""
    text = " ".join((position or "").lower().split())
    is_cpd = bool(CPD.search(text))
    if CHAIR.search(text) and "governor" in text:
        return "chair_of_governors", False, is_cpd
    if BUSINESS.search(text):
        return "business_manager", True, is_cpd
    if HEAD.search(text) and not NOT_THE_HEAD.search(text):
        return "headteacher", False, is_cpd
    return "other", False, is_cpd


def forwards(apps, schema_editor):
    SchoolContact = apps.get_model("schools", "SchoolContact")
    changed = []
    for contact in SchoolContact.objects.all():
        role, finance, cpd = role_from_position(contact.position)
        contact.role, contact.is_finance_contact, contact.is_cpd_lead = role, finance, cpd
        changed.append(contact)
    SchoolContact.objects.bulk_update(
        changed, ["role", "is_finance_contact", "is_cpd_lead"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0009_contacts_by_role"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
