import pytest
from django.core.management import call_command

from finance.models import Invoice, LedgerEntry, Payment

pytestmark = pytest.mark.django_db


def test_the_demo_builds_invoices_once(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    invoices = list(Invoice.objects.order_by("number").values_list("number", flat=True))
    assert len(invoices) >= 8 and Payment.objects.count() == 1
    # Governance's demo runs after finance's, so its task-group days reach the ledger on a
    # later load; nothing already recorded is recorded again.
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    assert list(Invoice.objects.order_by("number").values_list("number", flat=True)) == invoices
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(entry_type="journal").count() == 1
