import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from finance.models import InvoiceEmail, Job
from finance.services import start_job
from finance.tasks import email_invoices
from partnership.money import format_money, parse_money
from partnership.partnership_file import load_text
from tests.chart_reading import chart_shapes, chart_titles, table_rows
from tests.factories import SchoolFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(db):
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())


def test_the_break_even_page_and_its_csv(
    client_for, coordinator, budget, join, school_a, school_b, head_a, head_b
):
    join(school_a, head_a)
    join(school_b, head_b)
    client = client_for(coordinator)
    page = client.get(
        reverse("finance:break_even"), {"academic_year": "2026/27", "average_fee": "1500"}
    )
    text = page.content.decode()
    assert "£50,000.00" in text and "£79.37" in text and "<strong>34</strong>" in text
    csv = (
        client.get(
            reverse("finance:break_even"),
            {"academic_year": "2026/27", "average_fee": "1500", "format": "csv"},
        )
        .content.decode()
        .splitlines()
    )
    assert "Membership income needed,50000.00" in csv
    assert "Break-even fee per pupil,79.37" in csv
    assert "Schools needed to break even,34" in csv
    assert (
        "Surplus or deficit (a deficit negative),-177040.00" in csv
    )  # 1,260 signed + 20,000 LA − 198,300


def test_a_bad_average_fee_is_explained(client_for, coordinator, budget):
    page = (
        client_for(coordinator)
        .get(reverse("finance:break_even"), {"academic_year": "2026/27", "average_fee": "lots"})
        .content.decode()
    )
    assert "There is a problem" in page and "Enter an amount in pounds" in page


SCENARIO = {
    "financial_year": "2026-27",
    "take_up_primary": "100",
    "take_up_secondary": "100",
    "take_up_special": "100",
    "take_up_other": "100",
    "fee_primary": "2100",
    "fee_secondary": "4200",
    "fee_special": "1050",
    "fee_other": "1050",
    "discounted_sales_percent": "50",
    "basic_fee": "1000",
    "standard_fee": "1500",
    "standard_take_up": "30",
    "advanced_fee": "3000",
    "advanced_take_up": "10",
    "tier_sales_percent": "40",
    "core_per_pupil": "5",
}


def test_the_scenarios_are_the_reviews_three_options(
    client_for, finance_officer, budget, membership_year
):
    for _ in range(3):
        SchoolFactory(pupils=200)
    SchoolFactory(pupils=1000, category="secondary", phase="Secondary")
    client = client_for(finance_officer)
    response = client.get(reverse("finance:scenarios"), SCENARIO | {"format": "csv"})
    rows = list(csv.reader(response.content.decode().splitlines()))
    assert rows[0] == [
        "Option",
        "Members",
        "Membership income",
        "Other income",
        "Sales income",
        "Income",
        "Costs",
        "Surplus or deficit (a deficit negative)",
        "How it was worked out",
    ]
    figures = [row[:8] for row in rows[1:]]
    assert figures == [
        # Option 1: 3 primaries × £2,100 + 1 secondary × £4,200 = £10,500; discounted
        # sales recover half of the additional offer's £128,300.
        [
            "Option 1: single fee by type of school",
            "4.0",
            "10500.00",
            "20000.00",
            "64150.00",
            "94650.00",
            "198300.00",
            "-103650.00",
        ],
        # Option 2: 4 members × £1,000 basic + 30% of them × £1,500 (standard) + 10% of
        # them × £3,000 (advanced) = 4,000 + 1,800 + 1,200; sales recover 40% of £128,300.
        [
            "Option 2: basic fee plus tiers by level of support",
            "4.0",
            "7000.00",
            "20000.00",
            "51320.00",
            "78320.00",
            "198300.00",
            "-119980.00",
        ],
        # Option 3: 1,600 pupils × £5 = £8,000 against the core costs of £70,000 only.
        [
            "Option 3: core only plus pay as you go",
            "4.0",
            "8000.00",
            "20000.00",
            "0.00",
            "28000.00",
            "70000.00",
            "-42000.00",
        ],
    ]
    assert rows[2][8] == (
        "Each member pays the basic fee of £1,000.00; 30% of members also pay £1,500.00 for "
        "the standard tier; 10% of members also pay £3,000.00 for the advanced tier; sales of "
        "what the tiers do not include bring in 40% of the additional offer's £128,300.00 "
        "costs."
    )
    page = client.get(reverse("finance:scenarios"), SCENARIO).content.decode()
    for phrase in (
        "Option 1: single fee by type of school",
        "Option 2: basic fee plus tiers by level of support",
        "Option 3: core only plus pay as you go",
        "Deficit £103,650.00",
        "Deficit £119,980.00",
        "Deficit £42,000.00",
        "£10,500.00",
    ):
        assert phrase in page
    assert "-£" not in page
    xlsx = client.get(reverse("finance:scenarios"), SCENARIO | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A3"].value == "Option 2: basic fee plus tiers by level of support"


def test_tiers_taken_by_more_than_every_member_are_refused_by_name(client_for, coordinator, budget):
    page = (
        client_for(coordinator)
        .get(
            reverse("finance:scenarios"),
            SCENARIO | {"standard_take_up": "70", "advanced_take_up": "40"},
        )
        .content.decode()
    )
    assert "There is a problem" in page
    assert "Advanced tier: members who take it and the standard tier&#x27;s together" in page
    assert "Income against costs by option" not in page


def test_a_report_pdf_is_made_by_a_task_and_downloaded(
    client_for, finance_officer, budget, django_capture_on_commit_callbacks
):
    client = client_for(finance_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("finance:report_pdf", args=["trading-account"]), {"parameter": "2026-27"}
        )
    job = Job.objects.get()
    assert (job.status, job.parameter) == ("finished", "trading-account 2026-27")
    job_page = client.get(response.url).content.decode()
    assert "Download the PDF" in job_page
    assert "Report PDF: Trading account statement 2026/27</h1>" in job_page
    download = client.get(reverse("finance:report_download", args=[job.pk]))
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    assert (
        "Financial year 2026/27" in text and "£115,675.00" in text and "Independent chair" in text
    )
    assert "Trading account 2026/27" in " ".join(text.split()) and "2026-27" not in text


def test_a_coordinator_cannot_make_the_trading_account_pdf(client_for, coordinator, budget):
    response = client_for(coordinator).post(
        reverse("finance:report_pdf", args=["trading-account"]), {"parameter": "2026-27"}
    )
    assert response.status_code == 404
    assert Job.objects.count() == 0


def test_invoices_are_emailed_once_with_their_pdf(issue, school_a, head_a, finance_officer):
    invoice = issue(school_a)
    for _ in range(2):
        job = start_job(kind=Job.Kind.INVOICE_EMAILS, parameter="test", started_by=finance_officer)
        email_invoices.delay(job.pk, [invoice.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [head_a.email]
    assert message.attachments[0][0] == "INV-2026-27-00001.pdf"
    assert "for £1,200.00, due by" in message.body  # money written one way, as on the page
    assert InvoiceEmail.objects.get().invoice == invoice
    assert Job.objects.filter(message="1 invoice emailed to their schools").count() == 1


def test_dashboards_show_the_trading_position_and_outstanding_invoices(
    client_for, finance_officer, head_a, head_b, issue, school_a, budget
):
    issue(school_a)
    finance_page = client_for(finance_officer).get(reverse("dashboard")).content.decode()
    assert "Trading position" in finance_page and "Overdue invoices" in finance_page
    assert "INV-2026-27-00001" in finance_page  # due 1 October 2026
    assert "INV-2026-27-00001" in client_for(head_a).get(reverse("dashboard")).content.decode()
    assert "INV-2026-27-00001" not in client_for(head_b).get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    "report, post, query, expected",
    [
        ("break-even", {"parameter": "2026/27"}, "", ["Break-even 2026/27", "£50,000.00"]),
        (
            "scenarios",
            {},
            urlencode(SCENARIO),
            ["Funding scenarios", "£198,300.00", "Option 3: core only plus pay as you go"],
        ),
    ],
)
def test_break_even_and_scenario_pdfs(
    client_for,
    coordinator,
    budget,
    membership_year,
    report,
    post,
    query,
    expected,
    django_capture_on_commit_callbacks,
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{reverse('finance:report_pdf', args=[report])}?{query}", post)
    job = Job.objects.get()
    assert job.status == "finished", job.message
    download = client.get(reverse("finance:report_download", args=[job.pk]))
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    for phrase in expected:
        assert phrase in text
    assert response.url == reverse("finance:job", args=[job.pk])


def test_the_scenarios_chart_holds_the_tables_figures_and_hangs_a_deficit_below_zero(
    client_for, finance_officer, budget, membership_year
):
    for _ in range(3):
        SchoolFactory(pupils=200)
    page = client_for(finance_officer).get(reverse("finance:scenarios"), SCENARIO).content.decode()
    rows = table_rows(page, 'aria-label="Scenario results"')
    expected = []
    for name, row in rows.items():
        short = name.split(":")[0]
        income = sum(parse_money(row[c]) for c in ("Membership income", "Other income", "Sales"))
        expected += [
            f"{short} income: {format_money(income)}",
            f"{short} costs: {row['Costs']}",
            f"{short}: {row['Surplus or deficit']}",
        ]
    assert chart_titles(page, "scenarios") == expected
    # Option 3: 600 pupils × £5 and the LA's £20,000 against £70,000 of core costs.
    assert (
        rows["Option 3: core only plus pay as you go"]["Surplus or deficit"] == "Deficit £47,000.00"
    )
    zero = re.search(
        r'<line x1="110" x2="630" y1="(\d+)" y2="\d+" stroke="#0b0c0c" stroke-width="2"', page
    ).group(1)
    deficits = [r for r in chart_shapes(page, "scenarios", "rect") if "Deficit" in r["title"]]
    assert len(deficits) == 3
    for bar in deficits:
        assert bar["y"] == zero and int(bar["height"]) > 0  # drawn down from the zero line
    assert "Deficit £47,000.00</text>" in page  # written under its option, in words
