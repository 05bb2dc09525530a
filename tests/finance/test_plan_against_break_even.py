"""A three-year plan's first year beside the break-even report of the same year: the two
surpluses differ because they count different members, never because surplus or deficit
is worked out two ways (finance.rules.surplus is the one definition)."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from finance import plans, reports, rules
from finance.models import Plan
from finance.selectors import trading_account
from partnership.partnership_file import load_text

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db, join, school_a, head_a):
    """The Hillingdon costing (costs £198,300, LA contribution £20,000); Alpha (420 pupils,
    £840) signed; the plan then assumes 20 members at that fee."""
    load_text((Path(__file__).parent / "files" / "hillingdon-costing.yaml").read_text())
    join(school_a, head_a)
    plan = plans.start_plan(name="Twenty schools", base_year="2026/27")
    year_one = plan.years.get(number=1)
    year_one.members = 20
    year_one.save()
    return plan


def test_one_definition_of_surplus_or_deficit():
    assert rules.surplus(D("100.004"), D("250")) == D("-150.00")
    assert rules.surplus(D("250"), D("100")) == D("150.00")


def test_the_plan_s_first_year_beside_the_break_even_report(plan):
    figures = plans.plan_figures(plan)
    report = reports.break_even_report("2026/27")
    compared = plans.against_break_even(figures, report)
    rows = {row.label: (row.plan, row.report, row.difference) for row in compared.rows}
    assert rows["Member schools counted"] == (20, 1, 19)
    assert rows["Membership fees"] == (D("16800.00"), D("840.00"), D("15960.00"))
    assert rows["Costs"] == (D("198300.00"), D("198300.00"), D("0.00"))
    # 16,800 + 20,000 − 198,300; and 840 + 20,000 − 198,300.
    assert rows["Surplus or deficit"] == (D("-161500.00"), D("-177460.00"), D("15960.00"))
    # Both the one way: income less costs.
    year = figures.years[0]
    assert year.surplus == rules.surplus(year.income, year.costs)
    assert report.surplus == rules.surplus(report.expected_income, report.total_costs)
    assert compared.reasons[0] == (
        "The plan assumes 20 member schools in 2026/27, paying £16,800.00 in fees. The "
        "break-even report counts 1 school signed or pledged for 2026/27 so far "
        "(1 signed, 0 pledged), paying £840.00."
    )
    assert compared.reasons[1] == (
        "So the plan expects £15,960.00 more in membership fees than has been signed or "
        "pledged: the main difference between the two."
    )
    assert compared.reasons[-1].endswith(
        "Deficit £161,500.00 in the plan and Deficit £177,460.00 on what is signed and pledged."
    )


def test_the_trading_account_uses_the_same_definition(plan):
    account = trading_account("2026-27")
    income, spend = account.income_totals, account.expenditure_totals
    assert account.surplus == {key: rules.surplus(income[key], spend[key]) for key in income}


def test_the_plan_page_and_the_break_even_page_show_both(client_for, plan, finance_officer):
    client = client_for(finance_officer)
    page = client.get(reverse("finance:plan", args=[plan.pk])).content.decode()
    assert "Why the break-even report shows a different surplus or deficit" in page
    assert "Deficit £161,500.00" in page and "Deficit £177,460.00" in page
    assert "The plan assumes 20 member schools in 2026/27" in page
    report = client.get(reverse("finance:break_even"), {"academic_year": "2026/27"})
    body = report.content.decode()
    assert "Three-year plans for 2026/27" in body
    assert "Deficit £161,500.00" in body and body.count("Deficit £177,460.00") >= 2
    assert reverse("finance:plan", args=[plan.pk]) in body


def test_a_board_member_sees_the_comparison_but_no_link_to_the_report(
    client_for, plan, board_member
):
    page = client_for(board_member).get(reverse("finance:plan", args=[plan.pk])).content.decode()
    assert "Deficit £177,460.00" in page
    assert reverse("finance:break_even") not in page


def _pdf_text(response) -> str:
    # Words as read, whatever the lines they wrapped onto.
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_plan_as_a_pdf(client_for, plan, finance_officer):
    response = client_for(finance_officer).get(reverse("finance:plan_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="plan-twenty-schools-2026-27.pdf"'
    )
    text = _pdf_text(response)
    assert "Twenty schools" in text
    assert "2026/27 to 2028/29" in text
    assert "£16,800.00" in text and "£198,300.00" in text
    assert "Deficit £161,500.00" in text and "Deficit £177,460.00" in text


@pytest.mark.parametrize("who", ["head_a", "practitioner_user"])
def test_schools_and_practitioners_cannot_download_a_plan(request, client_for, plan, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("finance:plan_pdf", args=[plan.pk])
    )
    assert response.status_code == 403


def test_the_demo_plan_and_break_even_side_by_side(client_for, finance_officer, settings):
    """The demo's plan assumes 42 members (a deficit of £69,900.00); its break-even report
    counts the 9 schools signed and 3 pledged (a deficit of £148,812.50)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--force-demo", stdout=io.StringIO())
    plan = Plan.objects.get(name="Membership grows to break even")
    client = client_for(finance_officer)
    page = client.get(reverse("finance:plan", args=[plan.pk])).content.decode()
    assert "Deficit £69,900.00" in page and "Deficit £148,812.50" in page
    assert "The plan assumes 42 member schools in 2026/27, paying £113,400.00 in fees" in page
    assert "(9 signed, 3 pledged)" in page
    body = client.get(reverse("finance:break_even"), {"academic_year": "2026/27"})
    assert "Deficit £69,900.00" in body.content.decode()
    text = _pdf_text(client.get(reverse("finance:plan_pdf", args=[plan.pk])))
    assert "Deficit £69,900.00" in text and "Deficit £148,812.50" in text


@pytest.mark.parametrize("who", ["finance_officer", "coordinator", "board_member"])
def test_plan_readers_download_the_pdf(request, client_for, plan, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("finance:plan_pdf", args=[plan.pk])
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_anonymous_people_are_sent_to_sign_in_for_the_pdf(client_for, plan):
    response = client_for(None).get(reverse("finance:plan_pdf", args=[plan.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
