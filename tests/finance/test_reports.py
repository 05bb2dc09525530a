import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from finance.models import InvoiceEmail, Job
from finance.services import start_job
from finance.tasks import email_invoices
from partnership.partnership_file import load_text
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
    assert "membership_income_needed,50000.00" in csv
    assert "break_even_per_pupil_rate,79.37" in csv
    assert "break_even_schools,34" in csv
    assert "surplus_or_deficit,-177040.00" in csv  # 1,260 signed + 20,000 LA − 198,300


def test_a_bad_average_fee_is_explained(client_for, coordinator, budget):
    page = (
        client_for(coordinator)
        .get(reverse("finance:break_even"), {"academic_year": "2026/27", "average_fee": "lots"})
        .content.decode()
    )
    assert "There is a problem" in page and "Enter an amount in pounds" in page


def test_the_scenarios_compare_the_three_options(
    client_for, finance_officer, budget, membership_year
):
    for _ in range(3):
        SchoolFactory(pupils=200)
    SchoolFactory(pupils=1000, category="secondary", phase="Secondary")
    params = {
        "financial_year": "2026-27",
        "take_up_primary": "100",
        "take_up_secondary": "100",
        "take_up_special": "100",
        "take_up_other": "100",
        "single_per_pupil": "19",
        "fee_primary": "2100",
        "fee_secondary": "4200",
        "fee_special": "1050",
        "fee_other": "1050",
        "core_per_pupil": "5",
        "additional_sales_percent": "50",
    }
    client = client_for(finance_officer)
    csv = (
        client.get(reverse("finance:scenarios"), params | {"format": "csv"})
        .content.decode()
        .splitlines()
    )
    header = "option,members,membership_income,other_income,sales_income,income,costs,"
    assert csv[0] == header + "surplus_or_deficit"
    # 1,600 pupils × £19 = 30,400; sales recover half of 128,300
    assert csv[1].endswith(",4.0,30400.00,20000.00,64150.00,114550.00,198300.00,-83750.00")
    # 3 × 2,100 + 4,200 = 10,500
    assert csv[2].endswith(",4.0,10500.00,20000.00,64150.00,94650.00,198300.00,-103650.00")
    # core only: 1,600 × £5 = 8,000 against core costs of 70,000
    assert csv[3].endswith(",4.0,8000.00,20000.00,0.00,28000.00,70000.00,-42000.00")
    page = client.get(reverse("finance:scenarios"), params).content.decode()
    assert "£30,400.00" in page


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
    assert "Download the PDF" in client.get(response.url).content.decode()
    download = client.get(reverse("finance:report_download", args=[job.pk]))
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    assert (
        "Financial year 2026-27" in text and "£115,675.00" in text and "Independent chair" in text
    )


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
    assert InvoiceEmail.objects.get().invoice == invoice


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
            "financial_year=2026-27&take_up_primary=100&take_up_secondary=100"
            "&take_up_special=100&take_up_other=100&single_per_pupil=19&fee_primary=2100"
            "&fee_secondary=4200&fee_special=1050&fee_other=1050&core_per_pupil=5"
            "&additional_sales_percent=50",
            ["Funding scenarios", "£198,300.00", "Core only"],
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
