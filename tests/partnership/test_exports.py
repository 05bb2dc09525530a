"""Every export is safe to open in a spreadsheet: no formulas from people's text, no HTML."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from partnership.exports import safe_cell
from tests.factories import SchoolFactory

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_text_a_spreadsheet_would_run_is_neutralised(prefix):
    assert safe_cell(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["-12.50", "12.50", Decimal("-3.20"), 7, None])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


def test_html_becomes_plain_text():
    assert safe_cell('<strong class="govuk-tag">O&#x27;Brien</strong>') == "O'Brien"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_school_name_is_neutralised_in_csv_and_xlsx(client_for, coordinator, prefix):
    name = f"{prefix}cmd|' /C calc'!A0"
    SchoolFactory(name=name)
    client = client_for(coordinator)
    url = reverse("schools:list")

    rows = list(csv.reader(io.StringIO(client.get(url, {"_export": "csv"}).content.decode())))
    assert ["'" + name] == [cell for row in rows for cell in row if name in cell]

    response = client.get(url, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    tail = name[1:]  # XML keeps a carriage return as a line end
    cells = [c for row in sheet.iter_rows() for c in row if c.value and tail in str(c.value)]
    assert [c.value[0] for c in cells] == ["'"]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xls", "ods", "yaml", "json", "latex", "nonsense"])
def test_unknown_export_formats_show_the_page(client_for, coordinator, fmt):
    response = client_for(coordinator).get(reverse("schools:list"), {"_export": fmt})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_audit_trail_downloads_as_xlsx(client_for, finance_officer):
    SchoolFactory(name="=Audited School")
    response = client_for(finance_officer).get(reverse("finance:audit"), {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 1
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
