"""A membership invoiced whole to a maintained school before its conversion to an academy
was known: the school's invoice stays as issued, a credit note takes back the months from
the conversion, the academy is invoiced for them; running it twice moves nothing twice.
Bookings delivered from the conversion on are billed to the academy."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from finance import rules
from finance.models import CreditNote, Invoice, LedgerEntry
from finance.selectors import membership_fees_credited
from finance.services import (
    conversion_rebills,
    invoice_balance,
    issue_credit_note,
    rebill_conversions,
    run_annual_membership_invoices,
    run_monthly_bookings,
)
from partnership.partnership_file import load_text
from tests.factories import SchoolFactory, school_user

pytestmark = pytest.mark.django_db

FILE = """
format: 1
partnership:
  name: Hillingdon partnership
  local_authority: {code: 312, name: Hillingdon}
"""
SEPTEMBER, AUGUST = datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)
JANUARY = datetime.date(2027, 1, 1)
DECEMBER_1 = datetime.date(2026, 12, 1)


def test_the_academy_s_months_of_what_is_still_owed_move():
    # £600 billed September to August, converted 1 January: January to August, 8/12.
    assert rules.conversion_rebill(Decimal("600"), 0, SEPTEMBER, AUGUST, JANUARY) == (
        Decimal("400.00"),
        JANUARY,
    )
    # £60 already credited: 8/12 of the £540 still owed.
    assert rules.conversion_rebill(Decimal("600"), Decimal("60"), SEPTEMBER, AUGUST, JANUARY) == (
        Decimal("360.00"),
        JANUARY,
    )
    # Converted mid-month: the academy from that month; before the year: all of it.
    assert rules.conversion_rebill(
        Decimal("600"), 0, SEPTEMBER, AUGUST, datetime.date(2027, 1, 15)
    ) == (Decimal("400.00"), JANUARY)
    assert rules.conversion_rebill(
        Decimal("600"), 0, SEPTEMBER, AUGUST, datetime.date(2026, 8, 1)
    ) == (Decimal("600.00"), SEPTEMBER)
    # After the year, or nothing left owed: nothing moves.
    assert (
        rules.conversion_rebill(Decimal("600"), 0, SEPTEMBER, AUGUST, datetime.date(2027, 9, 1))
        is None
    )
    owed_nothing = rules.conversion_rebill(
        Decimal("600"), Decimal("600"), SEPTEMBER, AUGUST, JANUARY
    )
    assert owed_nothing is None


@pytest.fixture
def billed_before_conversion(join):
    """Elm Primary (300 pupils: £600) invoiced for 2026/27 on 1 September; GIAS later shows
    Elm Academy opening on 1 January 2027 in its place."""
    load_text(FILE)
    maintained = SchoolFactory(name="Elm Primary", governance="community", pupils=300)
    membership = join(maintained, school_user(maintained))
    (invoice,) = run_annual_membership_invoices(academic_year="2026/27", issue_date=SEPTEMBER)
    academy = SchoolFactory(
        name="Elm Academy",
        establishment_type="Academy converter",
        type_group="Academies",
        governance="academy",
        predecessor=maintained,
        opened_on=JANUARY,
    )
    return maintained, academy, membership, invoice


def _income(school, *, months=None):
    entries = LedgerEntry.objects.filter(school=school)
    if months:
        entries = entries.filter(entry_date__range=months)
    return entries.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def test_the_school_is_credited_and_the_academy_billed_from_the_conversion(
    billed_before_conversion,
):
    maintained, academy, membership, invoice = billed_before_conversion
    (pending,) = conversion_rebills()
    assert (pending.amount, pending.academy_from) == (Decimal("400.00"), JANUARY)

    rebill_conversions(issue_date=DECEMBER_1)

    # The school's invoice is as issued; a credit note takes back January to August.
    invoice.refresh_from_db()
    assert invoice.gross_total == Decimal("600.00")
    note = CreditNote.objects.get(invoice=invoice)
    rebill = Invoice.objects.get(school=academy)
    assert (note.gross_total, note.issue_date, note.rebilled_on) == (
        Decimal("400.00"),
        DECEMBER_1,
        rebill,
    )
    assert note.reason == (
        "Elm Primary became Elm Academy, an academy, on 1 January 2027: from 1 January 2027 "
        f"billed to the academy on invoice {rebill.number}"
    )
    assert invoice_balance(invoice) == Decimal("200.00")
    # The academy is invoiced, as an academy, for the same months and amount.
    line = rebill.lines.get()
    assert (rebill.gross_total, rebill.billing, rebill.bill_to, line.source) == (
        Decimal("400.00"),
        Invoice.Billing.EXTERNAL_INVOICE,
        "Elm Academy",
        f"membership:{membership.pk}:academy",
    )
    assert (line.recognise_from, line.recognise_to) == (JANUARY, AUGUST)
    assert line.description.endswith(
        ", 1 January 2027 to 31 August 2027 (converted to Elm Academy on 1 January 2027)"
    )
    # The school earns September to December; from January the academy does.
    assert _income(maintained, months=(SEPTEMBER, datetime.date(2026, 12, 31))) == Decimal("200.00")
    assert _income(maintained, months=(JANUARY, AUGUST)) == Decimal("0.00")
    assert _income(academy, months=(JANUARY, AUGUST)) == Decimal("400.00")
    # Moving who pays takes nothing off the membership fees.
    assert membership_fees_credited(membership.year) == Decimal("0.00")


def test_running_it_twice_credits_once(billed_before_conversion):
    maintained, academy, membership, invoice = billed_before_conversion
    assert len(rebill_conversions(issue_date=DECEMBER_1)) == 1
    assert conversion_rebills() == []
    assert rebill_conversions(issue_date=datetime.date(2026, 12, 2)) == []
    assert CreditNote.objects.count() == 1
    assert Invoice.objects.filter(school=academy).count() == 1
    # And the annual run, run again, bills neither school again.
    assert run_annual_membership_invoices(academic_year="2026/27", issue_date=DECEMBER_1) == []


def test_only_what_is_still_owed_moves(billed_before_conversion):
    maintained, academy, membership, invoice = billed_before_conversion
    line = invoice.lines.get()
    issue_credit_note(
        invoice=invoice,
        amounts={line.pk: Decimal("60.00")},
        reason="Agreed reduction",
        issue_date=datetime.date(2026, 10, 1),
    )
    rebill_conversions(issue_date=DECEMBER_1)
    assert Invoice.objects.get(school=academy).gross_total == Decimal("360.00")
    assert invoice_balance(invoice) == Decimal("180.00")
    assert membership_fees_credited(membership.year) == Decimal("60.00")


def test_the_move_is_in_the_audit_trail(billed_before_conversion, finance_officer):
    maintained, academy, membership, invoice = billed_before_conversion
    rebill_conversions(issue_date=DECEMBER_1, issued_by=finance_officer)
    note = CreditNote.objects.get(invoice=invoice)
    (created,) = note.history.all()
    assert (created.history_change_reason, created.history_user) == (
        "Academy conversion",
        finance_officer,
    )
    (rebilled,) = Invoice.objects.get(school=academy).history.all()
    assert rebilled.history_change_reason == "Academy conversion"


def test_a_school_billed_after_its_conversion_was_known_needs_nothing_moved(join):
    load_text(FILE)
    maintained = SchoolFactory(name="Elm Primary", governance="community", pupils=300)
    join(maintained, school_user(maintained))
    SchoolFactory(
        name="Elm Academy",
        governance="academy",
        type_group="Academies",
        predecessor=maintained,
        opened_on=JANUARY,
    )
    run_annual_membership_invoices(academic_year="2026/27", issue_date=SEPTEMBER)
    assert conversion_rebills() == []
    assert rebill_conversions(issue_date=DECEMBER_1) == []


def test_the_runs_page_lists_what_would_move_and_moves_it(
    client, billed_before_conversion, finance_officer
):
    maintained, academy, membership, invoice = billed_before_conversion
    client.force_login(finance_officer)
    page = client.get("/finance/runs/").content.decode()
    assert "Schools that became academies after they were invoiced" in page
    assert invoice.number in page and "£400.00" in page
    response = client.post("/finance/runs/", {"conversions": "1"}, follow=True)
    assert "1 membership credited to the school and billed to the academy" in (
        response.content.decode()
    )
    assert Invoice.objects.get(school=academy).gross_total == Decimal("400.00")
    assert "Schools that became academies" not in client.get("/finance/runs/").content.decode()


OCTOBER = datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("opened_on", "billed"),
    [(datetime.date(2026, 10, 1), "Alpha Academy"), (datetime.date(2026, 11, 1), "Alpha Primary")],
)
def test_bookings_delivered_from_the_conversion_bill_the_academy(
    partnership_record, deliveries, school_a, opened_on, billed
):
    school_a.name = "Alpha Primary"
    school_a.save()
    academy = SchoolFactory(
        name="Alpha Academy",
        governance="academy",
        type_group="Academies",
        predecessor=school_a,
        opened_on=opened_on,
    )
    issued = run_monthly_bookings(month=OCTOBER, issue_date=datetime.date(2026, 11, 1))
    (to_school,) = [invoice for invoice in issued if invoice.school is not None]
    assert to_school.bill_to == billed
    assert to_school.school == (academy if billed == "Alpha Academy" else school_a)
    assert _income(to_school.school) == to_school.net_total
