"""The audit trail: who changed schools, memberships, bookings, invoices, credit notes and
the ledger, and what they changed; for finance officers only."""

import csv
import datetime
import io
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalRecords

from finance.models import ImmutableRecordError, Invoice, LedgerEntry
from finance.services import (
    issue_credit_note,
    record_journal,
    record_payment,
    reverse_entry,
    run_annual_membership_invoices,
)
from membership.services import lapse_unrenewed
from offers.services_bookings import book, cancel
from partnership.partnership_file import load_text
from schools.services import set_causing_concern
from tests.conftest import requires_postgresql
from tests.factories import SchoolFactory
from tests.offers.booking_factories import make_offer

D = Decimal
pytestmark = pytest.mark.django_db
AUDIT = reverse("finance:audit")
COLUMNS = ["When", "Who", "Record type", "Record", "Action", "What changed"]
COSTING = Path(__file__).parent / "files" / "hillingdon-costing.yaml"


@contextmanager
def signed_in(person):
    """Changes made inside are recorded as this person's, as HistoryRequestMiddleware
    records the changes of a request."""
    HistoricalRecords.context.request = SimpleNamespace(user=person)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def trail(client, **filters) -> list[dict]:
    """The audit trail as its CSV download gives it, newest first."""
    response = client.get(AUDIT, {**filters, "_export": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def changes(row) -> list[str]:
    return row["What changed"].split("; ")


@pytest.fixture
def finance(client_for, finance_officer):
    return client_for(finance_officer)


@pytest.fixture
def peer_review(db):
    return make_offer(
        "peer-review",
        name="Peer review",
        capacity=2,
        member={"primary": "1000"},
        non_member={"primary": "1200"},
    )


@pytest.fixture
def journal(finance_officer):
    return record_journal(
        side="expenditure",
        amount="600",
        entry_date=datetime.date(2026, 5, 2),
        description="Chair, May",
        reason="Chair's invoice 55",
        entered_by=finance_officer,
    )


def test_finance_sees_who_changed_a_school_and_what(finance, coordinator, school_a):
    with signed_in(coordinator):
        set_causing_concern(
            school_a,
            causing_concern=True,
            reason="Ofsted: inadequate",
            since=datetime.date(2026, 9, 1),
        )
    changed, created = trail(finance, record_type="school")
    assert {key: changed[key] for key in COLUMNS[1:]} == {
        "Who": str(coordinator),
        "Record type": "School",
        "Record": f"Alpha Primary School ({school_a.urn})",
        "Action": "Changed",
        "What changed": "School causing concern: no → yes; Concern reason: none → "
        "Ofsted: inadequate; Concern since: none → 1 September 2026",
    }
    assert (created["Who"], created["Action"]) == ("The portal", "Created")


def test_a_membership_lapsing_shows_its_status_change(
    finance, join, membership_year, school_a, head_a, coordinator
):
    join(school_a, by=head_a)
    with signed_in(coordinator):
        lapse_unrenewed(year=membership_year, by=coordinator, on=datetime.date(2027, 9, 1))
    latest = trail(finance, record_type="membership")[0]
    assert (latest["Who"], latest["Record"], latest["Action"]) == (
        str(coordinator),
        "Alpha Primary School 2026/27",
        "Changed",
    )
    assert "Status: Active → Lapsed" in changes(latest)


def test_a_booking_made_by_a_school_and_cancelled_by_the_coordinator(
    finance, peer_review, school_a, head_a, coordinator
):
    with signed_in(head_a):
        booking = book(school=school_a, offer=peer_review, units=D("1"), by=head_a)
    with signed_in(coordinator):
        cancel(booking=booking, by=coordinator, today=datetime.date(2026, 9, 1))
    cancelled, booked = trail(finance, record_type="booking")
    assert [(row["Who"], row["Action"]) for row in (cancelled, booked)] == [
        (str(coordinator), "Changed"),
        (str(head_a), "Created"),
    ]
    assert cancelled["Record"] == f"B{booking.pk:05d}: Peer review, Alpha Primary School"
    assert "Status: Confirmed → Cancelled" in changes(cancelled)


def test_an_invoice_issued_in_a_background_run_names_who_started_it(
    finance, finance_officer, join, school_a, head_a
):
    join(school_a, by=head_a)
    run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 1), issued_by=finance_officer
    )
    invoice = Invoice.objects.get()
    (row,) = trail(finance, record_type="invoice")
    assert (row["Who"], row["Record"], row["Action"], row["What changed"]) == (
        str(finance_officer),
        invoice.number,
        "Created",
        f"Issued to {invoice.bill_to} for £840.00, due 1 October 2026",
    )
    # The income it earns month by month is entered in the ledger in the same person's name.
    ledger = trail(finance, record_type="ledger_entry")
    assert len(ledger) == 12 and {row["Who"] for row in ledger} == {str(finance_officer)}


def test_a_credit_note_issued_through_the_page_names_the_officer(
    finance, finance_officer, issue, school_a
):
    invoice = issue(school_a)
    line = invoice.lines.get()
    finance.post(
        reverse("finance:issue_credit_note", args=[invoice.pk]),
        {
            f"line_{line.pk}": "150",
            "reason": "Fee recalculated",
            "issue_date": "2026-10-01",
            "confirm": "1",
        },
    )
    (row,) = trail(finance, record_type="credit_note")
    assert {key: row[key] for key in COLUMNS[1:]} == {
        "Who": str(finance_officer),
        "Record type": "Credit note",
        "Record": f"CN-2026-27-00001 against {invoice.number}",
        "Action": "Created",
        "What changed": "£150.00 credited: Fee recalculated",
    }


def test_a_ledger_reversal_is_in_the_trail_with_its_reason(finance, finance_officer, journal):
    reverse_entry(
        entry=journal,
        reason="Entered twice",
        entry_date=datetime.date(2026, 5, 3),
        entered_by=finance_officer,
    )
    reversal, original = trail(finance, record_type="ledger_entry")
    assert [(row["Who"], row["Action"]) for row in (reversal, original)] == [
        (str(finance_officer), "Created"),
        (str(finance_officer), "Created"),
    ]
    assert reversal["What changed"] == (
        "Reversal: expenditure -£600.00 on 3 May 2026. Reason: Entered twice"
    )
    assert original["What changed"] == (
        "Manual journal: expenditure £600.00 on 2 May 2026. Reason: Chair's invoice 55"
    )


def test_the_partnership_file_is_named_for_what_it_loaded(finance):
    load_text(COSTING.read_text())
    rows = trail(finance, record_type="budget_line")
    assert rows and {row["Who"] for row in rows} == {"Partnership file"}


def test_only_finance_officers_may_open_the_audit_trail(
    client_for, coordinator, head_a, board_member, practitioner_user
):
    for person in (coordinator, head_a, board_member, practitioner_user):
        assert client_for(person).get(AUDIT).status_code == 403
    assert client_for(None).get(AUDIT).url.startswith("/accounts/login/")


def test_the_audit_trail_is_in_the_finance_menu(finance, client_for, coordinator):
    # The Finance section's own pages are listed under the menu on each of its pages.
    link = f'href="{AUDIT}"'
    assert link in finance.get(reverse("finance:trading_account")).content.decode()
    reader = client_for(coordinator)
    for page in ("dashboard", "finance:reports"):
        assert link not in reader.get(reverse(page)).content.decode()


def test_filters_narrow_the_trail(
    finance, finance_officer, coordinator, issue, school_a, school_b, journal
):
    invoice = issue(school_a, issued_by=finance_officer)
    with signed_in(coordinator):
        set_causing_concern(
            school_b, causing_concern=True, reason="Results", since=datetime.date(2026, 9, 1)
        )
    everything = trail(finance)
    # The people of the fixtures, their authenticator apps and the partnership are audited
    # too: each person's account was made, then given a password.
    assert {row["Record type"] for row in everything} == {
        "School",
        "Invoice",
        "Ledger entry",
        "User account",
        "Second factor",
        "Partnership settings",
    }
    assert {row["Record"] for row in trail(finance, who="Person")} >= {invoice.number}
    by_coordinator = trail(finance, who=coordinator.email)
    assert [(row["Record"], row["Action"]) for row in by_coordinator] == [
        (str(school_b), "Changed")
    ]
    assert {
        (row["Record type"], row["What changed"]) for row in trail(finance, action="changed")
    } == {
        (
            "School",
            "School causing concern: no → yes; Concern reason: none → Results; "
            "Concern since: none → 1 September 2026",
        ),
        ("User account", "Password set"),
    }
    # An invoice's number finds it and the ledger entries of the income it earns.
    assert {
        (row["Record type"], row["Record"]) for row in trail(finance, search="INV-2026-27")
    } == {("Invoice", invoice.number), ("Ledger entry", "Core membership 2026/27")}
    assert {row["Record"] for row in trail(finance, search="beta")} == {str(school_b)}
    today = datetime.date.today()
    assert len(trail(finance, since=today.isoformat(), until=today.isoformat())) == len(everything)
    assert trail(finance, until=(today - datetime.timedelta(days=1)).isoformat()) == []


def test_a_booking_is_found_by_its_reference(finance, peer_review, school_a, head_a):
    booking = book(school=school_a, offer=peer_review, units=D("1"), by=head_a)
    assert [row["Record"] for row in trail(finance, search=f"b{booking.pk}")] == [
        f"B{booking.pk:05d}: Peer review, Alpha Primary School"
    ]


def test_the_download_has_a_column_for_each_fact(finance, school_a):
    response = finance.get(AUDIT, {"record_type": "school", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "audit-trail.csv" in response["Content-Disposition"]
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == COLUMNS
    assert row[1:] == ["The portal", "School", str(school_a), "Created", ""]


def test_the_page_lists_changes_newest_first_with_links(finance, finance_officer, issue, school_a):
    invoice = issue(school_a, issued_by=finance_officer)
    rows = _rows(finance.get(AUDIT).content.decode())
    assert rows.index(invoice.number) < rows.index(str(school_a))  # issued after the school
    assert f'href="{reverse("finance:invoice", args=[invoice.pk])}"' in rows
    oldest_first = _rows(finance.get(AUDIT, {"sort": "when"}).content.decode())
    assert oldest_first.index(str(school_a)) < oldest_first.index(invoice.number)


def _rows(page):
    return page[page.index('<tbody class="govuk-table__body">') : page.index("</tbody>")]


def test_every_record_linked_from_the_trail_opens_for_finance(
    finance, finance_officer, coordinator, issue, join, school_a, head_a, peer_review, journal
):
    join(school_a, by=head_a)
    invoice = issue(school_a, issued_by=finance_officer)
    record_payment(
        invoice=invoice,
        amount=D("100"),
        received_on=datetime.date(2026, 9, 20),
        method="bacs",
        recorded_by=finance_officer,
    )
    book(school=school_a, offer=peer_review, units=D("1"), by=head_a)
    load_text(COSTING.read_text())
    rows = _rows(finance.get(AUDIT, {"per_page": 500}).content.decode())
    links = set(re.findall(r'<a class="govuk-link" href="([^"]+)"', rows))
    # A school, a membership, a booking, an offer and its prices, budget lines, the invoice
    # and the partnership's settings.
    assert {link.split("/")[1] for link in links} == {
        "schools",
        "membership",
        "offer",
        "finance",
        "partnership",
    }
    for link in links:
        assert finance.get(link).status_code == 200, link


def test_the_number_of_queries_does_not_grow_with_the_rows(
    finance, finance_officer, coordinator, django_assert_max_num_queries
):
    def make_changes(count):
        for n in range(count):
            school = SchoolFactory()
            with signed_in(coordinator):
                set_causing_concern(
                    school,
                    causing_concern=True,
                    reason=f"Reason {n}",
                    since=datetime.date(2026, 9, 1),
                )
            record_journal(
                side="expenditure",
                amount="10",
                entry_date=datetime.date(2026, 5, 2),
                description=f"Journal {n}",
                reason="Test",
                entered_by=finance_officer,
            )

    people = len(trail(finance))  # the two people's accounts and authenticator apps
    make_changes(2)  # 6 rows: 2 schools created and changed, 2 journals
    with CaptureQueriesContext(connection) as few:
        page = finance.get(AUDIT).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 1 + people + 6
    make_changes(16)  # 54 rows: a full page of 50, and a second page
    with django_assert_max_num_queries(len(few)):
        page = finance.get(AUDIT).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 1 + 50
    assert f"Showing 1 to 50 of {people + 54}" in page


def test_the_invoice_page_shows_its_history_to_finance_only(
    finance, finance_officer, client_for, issue, school_a, head_a
):
    invoice = issue(school_a, issued_by=finance_officer)
    record_payment(
        invoice=invoice,
        amount=D("200"),
        received_on=datetime.date(2026, 9, 20),
        method="bacs",
        recorded_by=finance_officer,
    )
    issue_credit_note(
        invoice=invoice,
        amounts={invoice.lines.get().pk: D("100")},
        reason="Roll corrected",
        issue_date=datetime.date(2026, 10, 1),
        issued_by=finance_officer,
    )
    url = reverse("finance:invoice", args=[invoice.pk])
    page = finance.get(url).content.decode()
    history = page[page.index('<h2 class="govuk-heading-m">History</h2>') :]
    assert (
        history.index("Created: credit note CN-2026-27-00001")
        < history.index("Created: payment £200.00")
        < history.index(f"Created: invoice {invoice.number}")
    )
    assert "£100.00 credited: Roll corrected" in history
    assert str(finance_officer) in history
    head_page = client_for(head_a).get(url).content.decode()
    assert "History" not in head_page and str(finance_officer) not in head_page


def test_the_booking_page_shows_its_history_to_staff_not_to_the_school(
    finance, client_for, coordinator, peer_review, school_a, head_a
):
    with signed_in(head_a):
        booking = book(school=school_a, offer=peer_review, units=D("1"), by=head_a)
    with signed_in(coordinator):
        cancel(booking=booking, by=coordinator, today=datetime.date(2026, 9, 1))
    url = reverse("offers:booking_detail", args=[booking.pk])
    for staff in (finance, client_for(coordinator)):
        page = staff.get(url).content.decode()
        assert "Status: Confirmed → Cancelled" in page and str(coordinator) in page
    head_page = client_for(head_a).get(url).content.decode()
    assert "Status: Confirmed → Cancelled" not in head_page
    assert '<h2 class="govuk-heading-m">History</h2>' not in head_page


def test_issued_records_still_refuse_changes_and_keep_one_history_row(
    finance_officer, issue, school_a, journal
):
    invoice = issue(school_a, issued_by=finance_officer)
    invoice.bill_to = "Someone else"
    with pytest.raises(ImmutableRecordError):
        invoice.save()
    assert [(row.history_type, row.history_user) for row in invoice.history.all()] == [
        ("+", finance_officer)
    ]
    assert [(row.history_type, row.amount) for row in journal.history.all()] == [("+", D("600"))]


@requires_postgresql
def test_the_database_refuses_to_rewrite_an_invoice_or_its_history(
    finance_officer, issue, school_a
):
    invoice = issue(school_a, issued_by=finance_officer)
    issued = invoice.history.get()
    for table, key, row in (
        ("finance_invoice", "id", invoice.pk),
        ("finance_historicalinvoice", "history_id", issued.history_id),
    ):
        for statement in (f"UPDATE {table} SET bill_to = 'Someone else'", f"DELETE FROM {table}"):
            with (
                pytest.raises(DatabaseError, match="never updated or deleted"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"{statement} WHERE {key} = %s", [row])
    assert invoice.history.get().bill_to == invoice.bill_to


@pytest.fixture
def before_the_trail(transactional_db):
    """The database as it was before financial records kept a history; migrated to the
    latest state again afterwards, whatever the test does."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    state = ("finance", "0003_payment_and_invoice_checks")
    executor.migrate([state])
    try:
        yield executor.loader.project_state([state]).apps
    finally:
        MigrationExecutor(connection).migrate(latest)


def test_records_written_before_the_trail_began_are_in_it_as_created(
    finance_officer, school_a, before_the_trail
):
    """Migration 0005 gives each financial record already written its "created" row."""
    invoice = before_the_trail.get_model("finance", "Invoice").objects.create(
        number="INV-2026-27-00001",
        financial_year="2026-27",
        sequence=1,
        school_id=school_a.pk,
        bill_to="Alpha Primary School",
        billing="internal_recharge",
        issue_date=datetime.date(2026, 9, 1),
        due_date=datetime.date(2026, 10, 1),
        net_total=D("840"),
        vat_total=D("0"),
        gross_total=D("840"),
        issued_by_id=finance_officer.pk,
    )
    before_the_trail.get_model("finance", "LedgerEntry").objects.create(
        side="expenditure",
        entry_type="journal",
        entry_date=datetime.date(2026, 5, 2),
        financial_year="2026-27",
        amount=D("600"),
        description="Chair, May",
        reason="Chair",
    )
    # Through 0005 and on to today's tables, which the models read.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    issued = Invoice.history.get()
    assert (issued.id, issued.history_type, issued.history_user, issued.history_date) == (
        invoice.pk,
        "+",
        finance_officer,
        invoice.created_at,
    )
    journal = LedgerEntry.history.get()
    assert (journal.description, journal.history_user) == ("Chair, May", None)
