"""The portal's tables (partnership.tables.Table) render byte for byte what django-tables2
renders, for the list pages and their downloads, while working out each column's cells
once per table."""

import re

import django_tables2 as tables
import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tables2.utils import A

from finance.models import Invoice
from partnership.models import User
from partnership.tables import Table

pytestmark = pytest.mark.django_db

PAGES = [
    ("coordinator@demo.partnership", "/schools/"),
    ("coordinator@demo.partnership", "/schools/?sort=-pupils"),
    ("coordinator@demo.partnership", "/schools/?q=primary&sort=status"),
    ("coordinator@demo.partnership", "/membership/all/"),
    ("coordinator@demo.partnership", "/membership/all/?sort=-fee_amount"),
    ("coordinator@demo.partnership", "/offer/bookings/"),
    ("finance@demo.council", "/finance/invoices/"),
    ("finance@demo.council", "/finance/invoices/?sort=status"),
    ("head@demo.school", "/finance/invoices/"),
    ("coordinator@demo.partnership", "/schools/?_export=csv"),
    ("coordinator@demo.partnership", "/membership/all/?_export=csv"),
    ("finance@demo.council", "/finance/invoices/?_export=csv"),
    ("finance@demo.council", "/finance/invoices/?_export=xlsx"),
]


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if path.endswith("xlsx"):
        # An XLSX is a zip whose entries carry the time it was written; compare the cells.
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        return repr(list(sheet.iter_rows(values_only=True))).encode()
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)


def test_list_pages_and_downloads_are_the_same_as_django_tables2_renders_them(
    settings, client_for, monkeypatch
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    for email, path in PAGES:
        client = client_for(User.objects.get(email=email))
        monkeypatch.setattr(Table, "resolve_cells_once", False)
        theirs = page(client, path)
        monkeypatch.setattr(Table, "resolve_cells_once", True)
        ours = page(client, path)
        assert ours == theirs, path
        if "_export" not in path:
            # Rows with links, so the comparison covers the cells that matter.
            assert ours.count(b'<tr class="govuk-table__row">') > 3, path
            assert b' None"' not in ours, path


class Invoices(Table):
    number = tables.Column(linkify=("finance:invoice", [A("pk")]))
    billing = tables.Column()


def test_row_links_from_one_reversed_prefix_are_each_rows_own_address():
    # Numbers of different lengths: a pattern may fix how many digits it takes.
    invoices = [
        Invoice(pk=pk, number=f"INV-{pk}", billing="internal_recharge")
        for pk in (7, 42, 1234, 98765)
    ]
    table = Invoices(invoices)
    cells = [row.get_cell("number") for row in table.rows]
    assert cells == [
        f'<a href="{reverse("finance:invoice", args=[invoice.pk])}">INV-{invoice.pk}</a>'
        for invoice in invoices
    ]
    # A choice field shows its label, as django-tables2 shows it.
    assert table.rows[0].get_cell("billing") == invoices[0].get_billing_display()
