"""Every CSV and XLSX download goes through here, so every cell is safe to open in a
spreadsheet: plain text (no HTML), and no text a spreadsheet would run as a formula.

A cell starting `=`, `+`, `-`, `@`, tab or carriage return (a school's name from GIAS, a
headteacher's notes) is prefixed with `'`; a number stays a number (`-12.50` is money).
Money (`partnership.money.pounds`) is written 1234.50 in a CSV and stored in an XLSX as
a number in pounds format, so the spreadsheet can add it up.
Only CSV and XLSX are offered: any other `?_export=` shows the page as usual.
"""

import datetime
import re
from decimal import Decimal
from html import unescape
from io import BytesIO

import tablib
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django_tables2.export import ExportMixin as Tables2ExportMixin
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from tablib.formats._xlsx import safe_xlsx_sheet_title

from .money import Pounds

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")


def safe_cell(value):
    """The value as a spreadsheet should receive it."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # XLSX holds no time zone: the time as seen in the UK.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (bool, int, float, Decimal, datetime.date)):
        return value
    if not isinstance(value, str):
        value = force_str(value)
        if not isinstance(value, str):
            return value
    text = unescape(strip_tags(value)) if "<" in value or "&" in value else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.match(text):
        return "'" + text
    return text


def safe_row(row):
    return [safe_cell(value) for value in row]


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(headers=safe_row(dataset.headers or []), title=dataset.title)
    for row in dataset:
        safe.append(safe_row(row))
    return safe


# Pounds with a thousands separator; a negative amount with a minus sign.
POUNDS_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
MAX_COLUMN_WIDTH = 60


def xlsx_bytes(dataset: tablib.Dataset) -> bytes:
    """The dataset as an XLSX workbook: a bold header row kept in view, money as numbers in
    pounds format, other numbers as numbers, and columns wide enough to read."""
    book = Workbook()
    sheet = book.active
    sheet.title = safe_xlsx_sheet_title(dataset.title or "Download", "-")
    rows = [list(dataset.headers)] if dataset.headers else []
    rows += [list(row) for row in dataset]
    widths = {}
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if row_number == 1 and dataset.headers:
                cell.font = Font(bold=True)
            elif isinstance(value, Pounds):
                cell.number_format = POUNDS_FORMAT
            shown = f"£{value:,.2f}" if isinstance(value, Pounds) else str(value or "")
            widths[column] = max(widths.get(column, 0), len(shown))
    if dataset.headers:
        sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


class SafeTableExport(TableExport):
    """django-tables2's export, CSV and XLSX only, every cell through `safe_cell`."""

    FORMATS = {
        TableExport.CSV: TableExport.FORMATS[TableExport.CSV],
        TableExport.XLSX: TableExport.FORMATS[TableExport.XLSX],
    }

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        return safe_dataset(super().table_to_dataset(table, exclude_columns, dataset_kwargs))

    def export(self):
        if self.format == self.XLSX:
            return xlsx_bytes(self.dataset)
        return super().export()


class ExportMixin(Tables2ExportMixin):
    export_class = SafeTableExport
