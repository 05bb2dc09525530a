"""A whole partnership year built through the portal's own services, with the trading
account, break-even and the board's figures asserted to the penny for both financial
years it touches, before and after the year ends.

The 2026/27 year runs 1 September 2026 to 31 August 2027: seven of its months fall in
FY 2026-27 (September to March) and five in FY 2027-28 (April to August).

- Budget: chair £12,000 (core, £1,000 a month), peer reviews £3,600 (additional, £300 a
  month), LA contribution £6,000 (income, £500 a month).
- Alpha (420 pupils at £2: £840) joins from September; Beta (210 pupils: £420 a year)
  joins in January and pays 8/12, £280. Both lapse once the year is over.
- Alpha's membership is credited £120 in January: £15 a month, January to August.
- Alpha books a peer review (member price £1,000) delivered on 20 October by a
  practitioner whose day costs £450, recorded against the peer reviews line.
- The LA commissions a peer review for Beta (at its LA price, £900), delivered on
  10 November and invoiced to the LA by November's run: LA income, not budgeted here.
- The chair's £1,000 is journalled for September, October and November only.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from finance.models import BudgetLine
from finance.reports import break_even_report
from finance.selectors import trading_account
from finance.services import (
    issue_credit_note,
    record_journal,
    record_payment,
    run_annual_membership_invoices,
    run_monthly_bookings,
)
from governance import dashboard
from membership import services as membership
from membership.models import MembershipYear
from offers import services_bookings as bookings
from offers.models import Offer
from partnership.partnership_file import load_text
from tests.offers.booking_factories import make_practitioner

D = Decimal
pytestmark = pytest.mark.django_db
BEFORE_THE_END = datetime.date(2027, 3, 15)
AFTER_THE_END = datetime.date(2027, 9, 15)

FILE = """
format: 1
partnership:
  name: Year Test Partnership
  local_authority: {code: 312, name: Hillingdon}
  vat_rate: "0"
year:
  academic_year: 2026/27
  census_date: 2026-01-15
tiers:
  - {code: core, name: Core membership, fee: {per_pupil: "2"}}
providers:
  - {code: la, name: Local Authority School Improvement Team}
offers:
  - code: peer-review
    name: Peer review
    strand: additional
    provider: la
    unit: review
    price: {member: "1000", non_member: "1200", la: "900"}
    cost_line: reviews
costs:
  - {code: chair, name: Independent chair, kind: core, quantity: 12, unit: day, unit_cost: "1000"}
  - {code: reviews, name: Peer reviews, kind: additional, quantity: 6, unit: review,
     unit_cost: "600"}
income:
  - {code: la-contribution, name: LA contribution, amount: "6000"}
"""


@pytest.fixture
def year(school_a, school_b, head_a, head_b, coordinator, finance_officer):
    load_text(FILE)
    year = MembershipYear.objects.get(academic_year="2026/27")
    tier = year.fee_schemes.get().tier
    alpha = membership.sign_agreement(
        school=school_a, year=year, tier=tier, by=head_a, on=datetime.date(2026, 7, 1)
    )
    membership.approve(membership=alpha, by=coordinator)
    run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 1), issued_by=finance_officer
    )
    beta = membership.sign_agreement(
        school=school_b, year=year, tier=tier, by=head_b, on=datetime.date(2027, 1, 10)
    )
    membership.approve(membership=beta, by=coordinator)
    run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2027, 1, 10), issued_by=finance_officer
    )
    alpha_invoice = alpha.school.invoices.get()
    record_payment(
        invoice=alpha_invoice, amount="840", received_on=datetime.date(2026, 10, 1), method="bacs"
    )
    issue_credit_note(
        invoice=alpha_invoice,
        amounts={alpha_invoice.lines.get().pk: D("120")},
        reason="Pupil numbers corrected",
        issue_date=datetime.date(2027, 1, 15),
        issued_by=finance_officer,
    )

    review = bookings.confirm(
        booking=bookings.book(
            school=school_a,
            offer=Offer.objects.get(code="peer-review"),
            units=D("1"),
            by=head_a,
            academic_year="2026/27",
        ),
        by=coordinator,
    )
    deployment = bookings.deploy(
        work=review,
        practitioner=make_practitioner("Sam Lee", day_cost="450.00"),
        dates=[datetime.date(2026, 10, 20)],
        days=D("1"),
        by=coordinator,
    )
    bookings.record_delivery(
        deployment=deployment, by=coordinator, today=datetime.date(2026, 10, 21)
    )
    run_monthly_bookings(month=datetime.date(2026, 10, 1), issue_date=datetime.date(2026, 11, 1))

    package = bookings.commission(
        school=school_b,
        offer=Offer.objects.get(code="peer-review"),
        units=D("1"),
        budget="900",
        by=coordinator,
        reason="Ofsted: requires improvement; the LA asked for a review",
        academic_year="2026/27",
    )
    bookings.mark_delivered(work=package, by=coordinator, on=datetime.date(2026, 11, 10))
    run_monthly_bookings(month=datetime.date(2026, 11, 1), issue_date=datetime.date(2026, 12, 1))

    chair = BudgetLine.objects.get(code="chair")
    for day in (
        datetime.date(2026, 9, 30),
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 30),
    ):
        record_journal(
            side="expenditure",
            amount="1000",
            entry_date=day,
            description=f"Chair, {day:%B}",
            reason="Chair's monthly invoice",
            budget_line=chair,
            entered_by=finance_officer,
        )
    return year


def figures(account):
    rows = {row.code or row.label: row for row in account.income + account.expenditure}
    return {key: (row.budget, row.actual, row.forecast) for key, row in rows.items()}, {
        "income": tuple(account.income_totals[k] for k in ("budget", "actual", "forecast")),
        "expenditure": tuple(
            account.expenditure_totals[k] for k in ("budget", "actual", "forecast")
        ),
        "surplus": tuple(account.surplus[k] for k in ("budget", "actual", "forecast")),
    }


FY_2026_27 = {
    # Alpha £70 × 7 + Beta £35 × 3 budgeted; recorded less the credit's £15 × 3.
    "membership-fees": (D("595.00"), D("550.00"), D("550.00")),
    "la-contribution": (D("3500.00"), D("0"), D("3500.00")),
    "Sales to schools": (D("0"), D("1000.00"), D("1000.00")),
    "Support commissioned by the LA (not budgeted)": (D("0"), D("900.00"), D("900.00")),
    "chair": (D("7000.00"), D("3000.00"), D("7000.00")),
    # September £300 (budget, nothing recorded), October £450, November to March £300 each.
    "reviews": (D("2100.00"), D("450.00"), D("2250.00")),
}
FY_2026_27_TOTALS = {
    "income": (D("4095.00"), D("2450.00"), D("5950.00")),
    "expenditure": (D("9100.00"), D("3450.00"), D("9250.00")),
    "surplus": (D("-5005.00"), D("-1000.00"), D("-3300.00")),
}


def test_the_financial_year_the_partnership_year_starts_in(year):
    rows, totals = figures(trading_account("2026-27", today=BEFORE_THE_END))
    assert rows == FY_2026_27
    assert totals == FY_2026_27_TOTALS


def test_the_same_financial_year_once_the_partnership_year_is_over(year, coordinator):
    membership.lapse_unrenewed(year=year, by=coordinator, on=AFTER_THE_END)
    account = trading_account("2026-27", today=AFTER_THE_END)
    rows, totals = figures(account)
    assert rows == FY_2026_27 and totals == FY_2026_27_TOTALS
    not_recorded = {(item.label, item.month.month) for item in account.not_recorded}
    assert {("Independent chair", month) for month in (12, 1, 2, 3)} <= not_recorded
    assert ("Independent chair", 11) not in not_recorded


def test_the_financial_year_the_partnership_year_ends_in(year, coordinator):
    membership.lapse_unrenewed(year=year, by=coordinator, on=AFTER_THE_END)
    rows, totals = figures(trading_account("2027-28", today=AFTER_THE_END))
    assert rows == {
        # Alpha £70 × 5 + Beta £35 × 5; recorded less the credit's £15 × 5.
        "membership-fees": (D("525.00"), D("450.00"), D("450.00")),
        "la-contribution": (D("2500.00"), D("0"), D("2500.00")),
        "chair": (D("5000.00"), D("0"), D("5000.00")),
        "reviews": (D("1500.00"), D("0"), D("1500.00")),
    }
    assert totals == {
        "income": (D("3025.00"), D("450.00"), D("2950.00")),
        "expenditure": (D("6500.00"), D("0"), D("6500.00")),
        "surplus": (D("-3475.00"), D("450.00"), D("-3550.00")),
    }


@pytest.mark.parametrize("lapsed", [False, True])
def test_break_even_for_the_year_before_and_after_it_ends(year, coordinator, lapsed):
    if lapsed:
        assert membership.lapse_unrenewed(year=year, by=coordinator, on=AFTER_THE_END) == 2
    report = break_even_report("2026/27")
    r = report.result
    assert (report.member_schools, r.total_pupils) == (2, 630)
    # £840 + £280 signed, less the £120 credited.
    assert (report.members.fees, report.credited, report.signed_income) == (
        D("1120.00"),
        D("120.00"),
        D("1000.00"),
    )
    assert r.membership_income_needed == D("6000.00")  # £12,000 core − £6,000 LA contribution
    assert r.per_pupil_rate == D("9.53")  # £6,000 / 630, rounded up
    assert r.average_fee == D("630.00")  # full-year fees £840 and £420
    assert r.schools_needed == 10
    assert report.bookings_income == D("1000.00")
    assert report.expected_income == D("8000.00")  # 6,000 + 1,000 + 1,000
    assert report.total_costs == D("15600.00")
    assert report.surplus == D("-7600.00")


def test_the_board_sees_the_trading_accounts_figures(year):
    trade = dashboard.trading(BEFORE_THE_END)
    assert trade["financial_year"] == "2026-27"
    assert {
        row["label"]: (row["budget"], row["actual"], row["forecast"]) for row in trade["rows"]
    } == {
        "Income": FY_2026_27_TOTALS["income"],
        "Expenditure": FY_2026_27_TOTALS["expenditure"],
        "Surplus or deficit": FY_2026_27_TOTALS["surplus"],
    }
    assert trade["forecast_surplus"] == D("-3300.00")


def test_the_pages_export_and_dashboard_write_the_deficit_the_same_way(
    year, client_for, finance_officer, board_member
):
    from io import StringIO

    out = StringIO()
    call_command(
        "export_trading_account", "--financial-year", "2026-27", "--on", "2027-03-15", stdout=out
    )
    assert out.getvalue().splitlines()[-1] == "total,surplus,,-5005.00,-1000.00,-3300.00"
    account_page = (
        client_for(finance_officer).get("/finance/", {"year": "2026-27"}).content.decode()
    )
    break_even_page = (
        client_for(finance_officer).get(
            "/finance/reports/break-even/", {"academic_year": "2026/27"}
        )
    ).content.decode()
    assert "Deficit £7,600.00" in break_even_page
    assert "-£" not in break_even_page.split("Surplus or deficit", 1)[1][:400]
    # The page is drawn up for today; the export above for 15 March: the account's budget
    # does not depend on the day.
    assert "Deficit £5,005.00" in account_page
