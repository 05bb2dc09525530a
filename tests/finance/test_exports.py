"""The finance officer's downloads: human headers, plain text, money a spreadsheet can add
(a number in pounds format in XLSX) and names that say what and which year."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from finance.documents import report_key
from finance.models import Job, StoredPdf
from finance.services import record_journal, start_job
from partnership.exports import POUNDS_FORMAT
from partnership.partnership_file import load_text
from tests.factories import SchoolFactory

from .test_reports import SCENARIO

pytestmark = pytest.mark.django_db
COSTING = Path(__file__).parent / "files" / "hillingdon-costing.yaml"


def filename(response):
    return response["Content-Disposition"].partition("filename=")[2].strip('"')


def sheet_of(response):
    assert response.content[:2] == b"PK"
    return load_workbook(io.BytesIO(response.content)).active


def rows_of(sheet):
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def assert_pounds(cell, amount):
    """A number (so SUM adds it), shown in pounds."""
    assert cell.data_type == "n", f"{cell.coordinate} is {cell.data_type}: {cell.value!r}"
    assert Decimal(str(cell.value)) == Decimal(amount)
    assert cell.number_format == POUNDS_FORMAT


@pytest.fixture
def invoices(issue, school_a):
    academy = SchoolFactory(name="=HYPERLINK(1) Academy", governance="academy")
    first = issue(school_a)
    from .conftest import membership_charge

    second = issue(academy, lines=[membership_charge("membership:academy", "987.65")])
    return first, second


def test_the_invoice_list_in_xlsx(client_for, finance_officer, invoices):
    recharge, invoice = invoices
    response = client_for(finance_officer).get(
        reverse("finance:invoices"), {"_export": "xlsx", "financial_year": "2026-27"}
    )
    assert filename(response) == "invoices-2026-27.xlsx"
    sheet = sheet_of(response)
    assert [cell.value for cell in sheet[1]] == [
        "Number",
        "Billed to",
        "Issue date",
        "Due date",
        "Billing",
        "Total",
        "Balance",
        "Status",
    ]
    rows = rows_of(sheet)
    number, billed_to, _, _, billing, total, balance, status = rows[invoice.number]
    assert (billed_to.value, billing.value, status.value) == (
        "'=HYPERLINK(1) Academy",
        "External invoice",
        "Overdue",  # due 1 October 2026
    )
    assert_pounds(total, "987.65")
    assert_pounds(balance, "987.65")
    assert rows[recharge.number][4].value == "Internal recharge"
    assert_pounds(rows[recharge.number][5], "1200.00")
    # Every cell is plain text or a number: no HTML from the page's tags.
    assert not any("<" in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_invoice_list_in_csv_names_its_year_or_all_years(client_for, finance_officer, invoices):
    client = client_for(finance_officer)
    url = reverse("finance:invoices")
    all_years = client.get(url, {"_export": "csv"})
    assert filename(all_years) == "invoices-all-years.csv"
    one_year = client.get(url, {"_export": "csv", "financial_year": "2026-27"})
    assert filename(one_year) == "invoices-2026-27.csv"
    assert ",987.65,987.65,Overdue" in one_year.content.decode()


def test_the_ledger_in_xlsx(client_for, finance_officer):
    record_journal(
        side="expenditure",
        amount="-1234.56",
        entry_date=datetime.date(2026, 10, 5),
        description="Chair, October",
        reason="Chair's invoice 55",
    )
    response = client_for(finance_officer).get(
        reverse("finance:ledger"), {"_export": "xlsx", "financial_year": "2026-27"}
    )
    assert filename(response) == "ledger-2026-27.xlsx"
    sheet = sheet_of(response)
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Date", "Year", "Side", "Type"]
    row = sheet[2]
    assert (row[2].value, row[3].value) == ("Expenditure", "Manual journal")
    assert_pounds(row[headers.index("Amount")], "-1234.56")


def test_the_trading_account_downloads(client_for, finance_officer):
    load_text(COSTING.read_text())
    client = client_for(finance_officer)
    url = reverse("finance:trading_account")
    response = client.get(url, {"year": "2026-27", "format": "xlsx"})
    assert filename(response) == "trading-account-2026-27.xlsx"
    sheet = sheet_of(response)
    assert [cell.value for cell in sheet[1]] == [
        "Side",
        "Code",
        "Line",
        "Budget",
        "Actual",
        "Forecast",
        "Variance",
    ]
    [chair] = [row for row in sheet.iter_rows(min_row=2) if row[1].value == "chair"]
    assert (chair[0].value, chair[2].value) == ("Expenditure", "Independent chair")
    assert_pounds(chair[3], "7000.00")  # 20 days at £600 over Sept-Aug: 7 months in FY 2026-27
    months = client.get(url, {"year": "2026-27", "format": "csv", "view": "months"})
    assert filename(months) == "trading-account-2026-27-by-month.csv"
    assert months.content.decode().splitlines()[0] == (
        "Month,Budgeted income,Actual income,Forecast income,"
        "Budgeted expenditure,Actual expenditure,Forecast expenditure"
    )


def test_the_break_even_and_costing_downloads(client_for, coordinator):
    load_text(COSTING.read_text())
    client = client_for(coordinator)
    response = client.get(
        reverse("finance:break_even"),
        {"academic_year": "2026/27", "average_fee": "1500", "format": "xlsx"},
    )
    assert filename(response) == "break-even-2026-27.xlsx"
    rows = rows_of(sheet_of(response))
    assert_pounds(rows["Core costs"][1], "70000.00")
    assert_pounds(rows["Membership income needed"][1], "50000.00")
    costing = client.get(reverse("finance:costing"), {"year": "2026-27", "format": "xlsx"})
    assert filename(costing) == "costing-2026-27.xlsx"
    sheet = sheet_of(costing)
    # The costing keeps the columns partnership-file.md names; its numbers are numbers.
    assert [cell.value for cell in sheet[1]] == [
        "code",
        "name",
        "kind",
        "quantity",
        "unit_cost",
        "amount",
    ]
    chair = rows_of(sheet)["chair"]
    assert chair[3].data_type == "n" and chair[3].value == 20
    assert_pounds(chair[4], "600.00")
    assert_pounds(chair[5], "12000.00")
    csv = client.get(reverse("finance:costing"), {"year": "2026-27"}).content.decode()
    assert csv.splitlines()[0] == "code,name,kind,quantity,unit_cost,amount"
    assert "chair,Independent chair,core,20,600.00,12000.00" in csv
    assert csv.splitlines()[-1] == "total,all,,,,198300.00"


def test_the_scenarios_download_is_named_by_year(client_for, finance_officer):
    load_text(COSTING.read_text())
    SchoolFactory(pupils=200)
    response = client_for(finance_officer).get(
        reverse("finance:scenarios"), SCENARIO | {"format": "xlsx"}
    )
    assert filename(response) == "scenarios-2026-27.xlsx"
    sheet = sheet_of(response)
    assert sheet["A1"].value == "Option" and sheet["C1"].value == "Membership income"
    assert sheet["B2"].data_type == "n"
    assert_pounds(sheet["G2"], "198300.00")  # option 1's costs: core and additional


@pytest.mark.parametrize(
    "parameter, name",
    [
        ("break-even 2026/27", "break-even-2026-27.pdf"),
        ("trading-account 2026-27", "trading-account-2026-27.pdf"),
        ("scenarios 2026-27", "scenarios-2026-27.pdf"),
    ],
)
def test_report_pdfs_download_with_their_report_and_year(
    client_for, finance_officer, parameter, name
):
    job = start_job(kind=Job.Kind.REPORT_PDF, parameter=parameter)
    StoredPdf(key=report_key(job.pk)).file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=True)
    response = client_for(finance_officer).get(reverse("finance:report_download", args=[job.pk]))
    assert response.status_code == 200
    assert filename(response) == name
