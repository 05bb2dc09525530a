"""Payments in from the bank: upload, check, confirm; to the penny, all or nothing, and
never the same bank line recorded twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance import receipts
from finance.bank_file import MAX_RECEIPTS
from finance.models import (
    BankReceipt,
    BankStatement,
    BankStatementLine,
    ImmutableRecordError,
    Payment,
)
from finance.services import invoice_balance
from tests.conftest import requires_postgresql

from .conftest import booking_charge, membership_charge

D = Decimal
pytestmark = pytest.mark.django_db
UPLOAD = reverse("finance:bank_upload")


def csv_file(rows, name="statement.csv", header="Date,Description,Reference,Money in,Money out"):
    return SimpleUploadedFile(
        name, (header + "\n" + "\n".join(rows) + "\n").encode("utf-8"), "text/csv"
    )


@pytest.fixture
def invoices(issue, school_a, school_b):
    """Alpha owes £1,200.00 (INV-…-00001); Beta £840.50 on purchase order PO-4500123
    (INV-…-00002)."""
    alpha = issue(school_a)
    beta = issue(
        school_b,
        lines=[booking_charge("booking:1", "1", "840.50", vat_rate=D("0"))],
        purchase_order="PO-4500123",
    )
    return alpha, beta


NOVEMBER = [
    '03/11/2026,BGC ALPHA PRIMARY,inv 2026-27-00001,"1,200.00",',
    "04/11/2026,DD PHONE COMPANY,,,45.10",
    "05/11/2026,FPI BETA PRIMARY,PO 4500123,840.50,",
    "06/11/2026,BGC ALPHA PRIMARY,INV-2026-27-00001,100.00,",
    "07/11/2026,FPI GAMMA TRUST,,250.00,",
]


def upload(client, rows=NOVEMBER, **kwargs):
    response = client.post(UPLOAD, {"file": csv_file(rows, **kwargs)})
    assert response.status_code == 302, response.content.decode()
    return response.url


def test_a_file_is_read_into_matches_amounts_that_differ_and_unmatched(
    client_for, finance_officer, invoices
):
    alpha, beta = invoices
    client = client_for(finance_officer)
    check_url = upload(client)
    statement = BankStatement.objects.get()
    assert check_url == reverse("finance:bank_statement", args=[statement.pk])
    assert (statement.rows, statement.ignored, statement.uploaded_by) == (5, 1, finance_officer)
    check = receipts.check_statement(statement)
    assert [(c.line.line, c.outcome, c.invoice) for c in check.lines] == [
        (2, "matched", alpha),
        (4, "matched", beta),
        (5, "amount_differs", alpha),
        (6, "unmatched", None),
    ]
    assert check.amount_differs[0].reason == "INV-2026-27-00001 has £1,200.00 left to pay"
    page = client.get(check_url).content.decode()
    assert 'data-count="matched">2 (£2,040.50)' in page
    assert 'data-count="ignored">1<' in page
    assert f'value="{alpha.number}" checked' in page and f'value="{beta.number}" checked' in page
    assert Payment.objects.count() == 0  # nothing is recorded until it is confirmed


def test_confirming_records_the_ticked_and_allocated_lines_to_the_penny(
    client_for, finance_officer, invoices, issue, school_a
):
    alpha, beta = invoices
    gamma = issue(school_a, lines=[membership_charge("membership:99", "250.00")])
    client = client_for(finance_officer)
    check_url = upload(client)
    lines = {line.line: line for line in BankStatementLine.objects.all()}
    response = client.post(
        check_url,
        {
            f"line-{lines[2].pk}": alpha.number,  # ticked
            # line 4 (Beta's match) unticked: left
            f"line-{lines[5].pk}": "",  # amount differs: left
            f"line-{lines[6].pk}": "inv-2026-27-00003",  # typed by hand, lower case
        },
    )
    assert response.status_code == 302
    assert response.url == check_url
    payments = Payment.objects.order_by("received_on")
    assert [(p.invoice, p.amount, p.received_on, p.method, p.recorded_by) for p in payments] == [
        (alpha, D("1200.00"), datetime.date(2026, 11, 3), "bacs", finance_officer),
        (gamma, D("250.00"), datetime.date(2026, 11, 7), "bacs", finance_officer),
    ]
    assert payments[0].reference == "BGC ALPHA PRIMARY inv 2026-27-00001"
    assert invoice_balance(alpha) == D("0.00")
    assert invoice_balance(beta) == D("840.50")
    assert invoice_balance(gamma) == D("0.00")
    assert [(r.line, r.amount, r.payment) for r in BankReceipt.objects.order_by("line")] == [
        (2, D("1200.00"), payments[0]),
        (6, D("250.00"), payments[1]),
    ]
    page = client.get(check_url).content.decode()
    assert "2 payments recorded, totalling £1,450.00" in page
    assert 'data-count="recorded">2 (£1,450.00)' in page
    assert 'data-count="matched">1 (£840.50)' in page  # Beta's, still to confirm


def test_the_same_file_uploaded_again_records_nothing_twice(client_for, finance_officer, invoices):
    alpha, beta = invoices
    client = client_for(finance_officer)
    first = BankStatement.objects.get(pk=upload(client).rstrip("/").rsplit("/", 1)[1])
    lines = {line.line: line for line in first.lines.all()}
    client.post(
        reverse("finance:bank_statement", args=[first.pk]),
        {f"line-{lines[2].pk}": alpha.number, f"line-{lines[4].pk}": beta.number},
    )
    assert Payment.objects.count() == 2

    again_url = upload(client)
    again = BankStatement.objects.exclude(pk=first.pk).get()
    check = receipts.check_statement(again)
    assert [(c.line.line, c.outcome) for c in check.lines] == [
        (2, "recorded"),
        (4, "recorded"),
        # Alpha is paid now: the £100 names it, but there is nothing left to pay on it.
        (5, "amount_differs"),
        (6, "unmatched"),
    ]
    page = client.get(again_url).content.decode()
    assert 'data-count="recorded">2 (£2,040.50)' in page
    assert 'data-count="matched">0<' in page
    # Even asked to, the service records no line of the new upload that was recorded before.
    renewed = {line.line: line for line in again.lines.all()}
    recorded = receipts.record_receipts(
        statement=again,
        allocations={renewed[2].pk: alpha, renewed[4].pk: beta},
        recorded_by=finance_officer,
    )
    assert (recorded.payments, [line.line for line in recorded.already]) == ([], [2, 4])
    assert Payment.objects.count() == 2
    assert BankReceipt.objects.count() == 2
    assert invoice_balance(alpha) == D("0.00")


def test_identical_lines_on_one_day_are_two_payments_each_recorded_once(finance_officer, invoices):
    alpha, _ = invoices
    rows = ["10/11/2026,ALPHA PRIMARY,,600.00,"] * 2
    statement = receipts.read_statement(csv_file(rows), uploaded_by=finance_officer)
    allocations = {line.pk: alpha for line in statement.lines.all()}
    assert len(allocations) == 2
    receipts.record_receipts(
        statement=statement, allocations=allocations, recorded_by=finance_officer
    )
    assert invoice_balance(alpha) == D("0.00")
    again = receipts.read_statement(csv_file(rows), uploaded_by=finance_officer)
    assert [c.outcome for c in receipts.check_statement(again).lines] == ["recorded"] * 2
    # A third identical line in a later file is a third payment, not one recorded before.
    more = receipts.read_statement(csv_file(rows + rows[:1]))
    assert [c.outcome for c in receipts.check_statement(more).lines] == [
        "recorded",
        "recorded",
        "unmatched",
    ]


def test_one_refused_payment_records_none_of_the_confirmation(
    client_for, finance_officer, invoices
):
    alpha, beta = invoices
    client = client_for(finance_officer)
    check_url = upload(client)
    lines = {line.line: line for line in BankStatementLine.objects.all()}
    response = client.post(
        check_url,
        {
            f"line-{lines[2].pk}": alpha.number,
            f"line-{lines[4].pk}": beta.number,
            # £250 against Beta's £840.50, after the £840.50 match: more than the balance.
            f"line-{lines[6].pk}": beta.number,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert (
        "Line 6 (£250.00 on 07/11/2026, to INV-2026-27-00002): The amount received cannot be "
        "more than the balance of £0.00. Nothing was recorded" in page
    )
    assert Payment.objects.count() == 0
    assert BankReceipt.objects.count() == 0


def test_an_invoice_typed_that_is_not_open_is_refused_on_its_line(
    client_for, finance_officer, invoices
):
    client = client_for(finance_officer)
    check_url = upload(client)
    line = BankStatementLine.objects.get(line=6)
    response = client.post(check_url, {f"line-{line.pk}": "INV-2026-27-00077"})
    page = response.content.decode()
    assert f'href="#id_line-{line.pk}"' in page
    assert "Line 6: “INV-2026-27-00077” is not an invoice with something left to pay" in page
    assert Payment.objects.count() == 0


def test_confirming_with_nothing_chosen_says_so(client_for, finance_officer, invoices):
    client = client_for(finance_officer)
    response = client.post(upload(client), {})
    assert "Nothing was chosen to record" in response.content.decode()


def test_a_line_no_payment_may_be_dated_is_shown_and_not_offered(
    client_for, finance_officer, invoices
):
    alpha, _ = invoices
    client = client_for(finance_officer)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    url = upload(
        client,
        [
            f"{tomorrow:%d/%m/%Y},ALPHA,INV-2026-27-00001,1200.00,",
            "01/01/2020,ALPHA,INV-2026-27-00001,1200.00,",
        ],
    )
    statement = BankStatement.objects.get()
    check = receipts.check_statement(statement)
    assert [c.outcome for c in check.lines] == ["cannot_record"] * 2
    assert check.lines[0].reason.startswith("The date received cannot be after today")
    assert check.lines[1].reason.startswith("The date received must be between 1 April")
    page = client.get(url).content.decode()
    assert "Nothing in this file is left to record" in page
    assert 'name="line-' not in page


def test_a_file_that_cannot_be_read_changes_nothing_and_names_its_line(
    client_for, finance_officer, invoices
):
    response = client_for(finance_officer).post(
        UPLOAD, {"file": csv_file(["03/11/2026,ALPHA,,1200.00,", "31/11/2026,BETA,,5.00,"])}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "line 3: the date “31/11/2026” is not a date like 15/11/2026" in page
    assert BankStatement.objects.count() == 0
    assert BankStatementLine.objects.count() == 0


@pytest.mark.parametrize(
    ("upload_file", "message"),
    [
        (
            SimpleUploadedFile("statement.xlsx", b"PK\x03\x04", "application/vnd.ms-excel"),
            "The file must be a CSV file (.csv): statement.xlsx is not",
        ),
        (
            SimpleUploadedFile("statement.csv", b"Account,Balance\n1,2\n", "text/csv"),
            "The file has no header row naming its columns",
        ),
    ],
)
def test_a_file_that_is_not_a_bank_csv_is_refused(
    client_for, finance_officer, upload_file, message
):
    page = client_for(finance_officer).post(UPLOAD, {"file": upload_file}).content.decode()
    assert message in page
    assert BankStatement.objects.count() == 0


def test_a_file_over_the_upload_limit_is_refused(client_for, finance_officer, settings):
    settings.UPLOAD_MAX_BYTES = 100
    page = (
        client_for(finance_officer)
        .post(UPLOAD, {"file": csv_file(["03/11/2026,ALPHA,,1200.00,"] * 5)})
        .content.decode()
    )
    assert "The file must be smaller than 100" in page
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "head_a"])
def test_only_finance_officers_reach_the_bank_pages(
    request, client_for, finance_officer, invoices, who
):
    statement = receipts.read_statement(csv_file(NOVEMBER), uploaded_by=finance_officer)
    client = client_for(request.getfixturevalue(who))
    line = statement.lines.first()
    check_url = reverse("finance:bank_statement", args=[statement.pk])
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": csv_file(NOVEMBER)}).status_code == 403
    assert client.get(check_url).status_code == 403
    assert client.post(check_url, {f"line-{line.pk}": "INV-2026-27-00001"}).status_code == 403
    assert BankStatement.objects.count() == 1
    assert Payment.objects.count() == 0
    anonymous = client_for(None).get(check_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_the_check_page_costs_the_same_queries_for_many_lines(
    client_for, finance_officer, issue, school_a, school_b
):
    client = client_for(finance_officer)

    def check_page_of(count):
        """A file paying `count` new invoices: each matched, then a line naming it with
        another amount and one naming nothing; the first match recorded beforehand."""
        invoices = [
            issue(
                school_a if n % 2 else school_b,
                lines=[membership_charge(f"membership:{count}-{n}", f"{100 + n}.00")],
            )
            for n in range(count)
        ]
        rows = []
        for invoice in invoices:
            rows.append(f"03/11/2026,SCHOOL,{invoice.number},{invoice.gross_total},")
            rows.append(f"04/11/2026,SCHOOL,{invoice.number},1.00,")
            rows.append("05/11/2026,SOMEONE,,2.00,")
        earlier = receipts.read_statement(csv_file(rows[:1]))
        receipts.record_receipts(
            statement=earlier, allocations={earlier.lines.get().pk: invoices[0]}
        )
        return upload(client, rows)

    few, many = check_page_of(2), check_page_of(20)
    with CaptureQueriesContext(connection) as few_queries:
        assert client.get(few).status_code == 200
    with CaptureQueriesContext(connection) as many_queries:
        page = client.get(many)
    assert page.status_code == 200
    assert page.content.decode().count('type="checkbox"') == 19  # the first is recorded
    assert page.content.decode().count('list="open-invoices"') == 40
    assert len(many_queries) == len(few_queries)


def test_a_recorded_receipt_never_changes_and_keeps_its_history(finance_officer, invoices):
    alpha, _ = invoices
    statement = receipts.read_statement(csv_file(NOVEMBER[:1]), uploaded_by=finance_officer)
    receipts.record_receipts(
        statement=statement,
        allocations={statement.lines.get().pk: alpha},
        recorded_by=finance_officer,
    )
    receipt = BankReceipt.objects.get()
    receipt.text = "Something else"
    with pytest.raises(ImmutableRecordError):
        receipt.save()
    with pytest.raises(ImmutableRecordError):
        BankReceipt.objects.all().delete()
    assert [(row.history_type, row.history_user) for row in receipt.history.all()] == [
        ("+", finance_officer)
    ]


@requires_postgresql
def test_the_database_refuses_to_rewrite_a_receipt_or_its_history(finance_officer, invoices):
    alpha, _ = invoices
    statement = receipts.read_statement(csv_file(NOVEMBER[:1]), uploaded_by=finance_officer)
    receipts.record_receipts(statement=statement, allocations={statement.lines.get().pk: alpha})
    receipt = BankReceipt.objects.get()
    recorded = receipt.history.get()
    for table, key, row in (
        ("finance_bankreceipt", "id", receipt.pk),
        ("finance_historicalbankreceipt", "history_id", recorded.history_id),
    ):
        for statement_sql in (f"UPDATE {table} SET text = 'x'", f"DELETE FROM {table}"):
            with (
                pytest.raises(DatabaseError, match="never updated or deleted"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"{statement_sql} WHERE {key} = %s", [row])
    assert BankReceipt.objects.get().text == receipt.text


def test_the_audit_trail_lists_each_receipt_recorded_and_who_recorded_it(
    client_for, finance_officer, invoices
):
    alpha, _ = invoices
    client = client_for(finance_officer)
    check_url = upload(client, NOVEMBER[:1])
    client.post(check_url, {f"line-{BankStatementLine.objects.get().pk}": alpha.number})
    page = client.get(reverse("finance:audit"), {"record_type": "bank_receipt"}).content.decode()
    assert "Bank line 2: £1,200.00 on 3 November 2026" in page
    assert f'href="{check_url}"' in page
    assert "Recorded as a payment from the bank file: BGC ALPHA PRIMARY inv 2026-27-00001" in page
    assert finance_officer.get_full_name() in page


def test_a_file_of_the_most_receipts_allowed_can_be_confirmed_from_its_page(
    client_for, finance_officer, invoices
):
    """The browser posts every box of the check page, blank or not: a file of as many
    receipts as a file may hold must not be more fields than Django takes in a form."""
    alpha, _ = invoices
    rows = [f"03/11/2026,SOMEONE {n},,1.00," for n in range(MAX_RECEIPTS)]
    client = client_for(finance_officer)
    check_url = upload(client, rows)
    posted = {f"line-{pk}": "" for pk in BankStatementLine.objects.values_list("pk", flat=True)}
    posted[next(iter(posted))] = alpha.number
    response = client.post(check_url, posted)
    assert response.status_code == 302
    assert list(Payment.objects.values_list("invoice", "amount")) == [(alpha.pk, D("1.00"))]
