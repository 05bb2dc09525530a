"""The export batch pages: who may open them, the check page before anything is exported,
the refusal of an empty batch, the download again, a correction; queries per page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.ledger_batches import export_batch
from finance.models import ExportBatch, LedgerEntry
from finance.services import record_journal

from .conftest import booking_charge

D = Decimal
pytestmark = pytest.mark.django_db
OCT = datetime.date(2026, 10, 31)


def journal(amount, day, description="Chair"):
    return record_journal(
        side="expenditure",
        amount=amount,
        entry_date=day,
        description=description,
        reason="Chair's invoice",
    )


@pytest.fixture
def entries(issue, school_a):
    issue(school_a, lines=[booking_charge("booking:1", "2", "350", on=datetime.date(2026, 10, 5))])
    return journal("600", datetime.date(2026, 10, 2))


@pytest.fixture
def batch(entries):
    return export_batch(up_to=OCT)


def urls(batch, entry):
    return [
        reverse("finance:ledger_batches"),
        reverse("finance:ledger_batch_new"),
        reverse("finance:ledger_batch", args=[batch.number]),
        reverse("finance:ledger_batch_download", args=[batch.number]),
        reverse("finance:correct_entry", args=[entry.pk]),
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("head_a", 403),
        ("coordinator", 403),
        ("board_member", 403),
        ("practitioner_user", 403),
        ("finance_officer", 200),
    ],
)
def test_only_finance_officers_open_the_batch_pages(
    client_for, request, batch, entries, index, who, status
):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(urls(batch, entries)[index])
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("account_login"))


def test_nothing_is_exported_until_the_check_page_is_confirmed(
    client_for, finance_officer, entries
):
    client = client_for(finance_officer)
    page = client.post(reverse("finance:ledger_batch_new"), {"up_to": "2026-10-31"})
    html = page.content.decode()
    assert '<strong id="batch-count">2</strong>' in html
    assert 'id="batch-debits">£600.00<' in html and 'id="batch-credits">£700.00<' in html
    assert "Date, Account code, Cost centre, Description, Amount, Reference" in html
    assert not ExportBatch.objects.exists()
    checked = page.context["waiting"].fingerprint
    response = client.post(
        reverse("finance:ledger_batch_new"),
        {"up_to": "2026-10-31", "checked": checked, "confirm": "1"},
    )
    batch = ExportBatch.objects.get()
    assert response.url == reverse("finance:ledger_batch", args=[1])
    assert (batch.entry_count, batch.exported_by) == (2, finance_officer)
    follow = client.get(response.url).content.decode()
    assert "Batch 1 exported: 2 entries" in follow


def test_a_batch_that_changed_since_the_check_is_refused_by_name(
    client_for, finance_officer, entries
):
    client = client_for(finance_officer)
    page = client.post(reverse("finance:ledger_batch_new"), {"up_to": "2026-10-31"})
    journal("5", datetime.date(2026, 10, 30), "Late chair expense")
    response = client.post(
        reverse("finance:ledger_batch_new"),
        {"up_to": "2026-10-31", "checked": page.context["waiting"].fingerprint, "confirm": "1"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "changed after you checked them" in html
    assert not ExportBatch.objects.exists()


def test_an_empty_batch_is_refused_with_a_clear_message(client_for, finance_officer, batch):
    response = client_for(finance_officer).post(
        reverse("finance:ledger_batch_new"), {"up_to": "2026-10-31"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "There are no entries up to 31 October 2026 that have not been exported" in html
    assert ExportBatch.objects.count() == 1


def test_a_date_still_to_come_is_refused_by_name(client_for, finance_officer, entries):
    response = client_for(finance_officer).post(
        reverse("finance:ledger_batch_new"), {"up_to": "2099-01-01"}
    )
    assert "The date must be today or earlier" in response.content.decode()
    assert not ExportBatch.objects.exists()


def test_a_batch_downloads_again_as_the_same_bytes_marked_a_copy(
    client_for, finance_officer, batch
):
    client = client_for(finance_officer)
    first = client.get(reverse("finance:ledger_batch_download", args=[1]))
    again = client.get(reverse("finance:ledger_batch_download", args=[1]))
    assert first.content == again.content == batch.content.encode()
    assert first["Content-Disposition"] == (
        'attachment; filename="ledger-batch-00001-to-2026-10-31-copy.csv"'
    )
    assert first["Content-Type"].startswith("text/csv")
    assert ExportBatch.objects.count() == 1
    assert LedgerEntry.objects.filter(export_batch__isnull=True).count() == 0


def test_correcting_an_exported_entry_on_its_page(client_for, finance_officer, batch, entries):
    client = client_for(finance_officer)
    page = client.get(reverse("finance:correct_entry", args=[entries.pk])).content.decode()
    assert "It went to the council in batch 1" in page
    response = client.post(
        reverse("finance:correct_entry", args=[entries.pk]),
        {
            "amount": "650",
            "description": "Chair, October (corrected)",
            "entry_date": "2026-11-02",
            "reason": "Invoice was £650",
        },
    )
    assert response.status_code == 302
    new = LedgerEntry.objects.filter(export_batch__isnull=True).order_by("pk")
    assert [(e.amount, e.entry_type) for e in new] == [
        (D("-600.00"), "reversal"),
        (D("650.00"), "journal"),
    ]


def test_a_correction_without_its_reason_names_the_field(client_for, finance_officer, entries):
    response = client_for(finance_officer).post(
        reverse("finance:correct_entry", args=[entries.pk]),
        {"amount": "650", "description": "Chair", "entry_date": "2026-11-02", "reason": ""},
    )
    assert "Enter reason for the correction" in response.content.decode()
    assert LedgerEntry.objects.count() == 2


def test_the_ledger_names_each_entrys_batch_and_filters_by_it(client_for, finance_officer, batch):
    journal("10", datetime.date(2026, 11, 2), "November stationery")
    client = client_for(finance_officer)
    html = client.get(reverse("finance:ledger")).content.decode()
    assert "Not yet exported" in html
    assert f'href="{reverse("finance:ledger_batch", args=[1])}">1</a>' in html
    waiting = client.get(reverse("finance:ledger"), {"exported": "no"}).content.decode()
    assert "November stationery" in waiting and "Peer review" not in waiting


def test_batch_pages_queries_do_not_grow_with_rows(
    client_for, finance_officer, django_assert_max_num_queries
):
    for month in (9, 10):
        for day in range(1, 26):
            journal("10", datetime.date(2026, month, day), f"Cost {month}/{day}")
        export_batch(up_to=datetime.date(2026, month, 28))
    client = client_for(finance_officer)
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("finance:ledger_batches"))
    assert listing.content.decode().count("Download again") == 2
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("finance:ledger_batch", args=[2]))
    assert (
        detail.content.decode().count('Correct<span class="govuk-visually-hidden"> Cost 10/') == 25
    )
    with django_assert_max_num_queries(12):
        client.post(reverse("finance:ledger_batch_new"), {"up_to": "2026-11-30"})


def test_the_audit_trail_names_who_exported_each_batch(client_for, finance_officer, entries):
    import csv
    import io

    client = client_for(finance_officer)
    page = client.post(reverse("finance:ledger_batch_new"), {"up_to": "2026-10-31"})
    client.post(
        reverse("finance:ledger_batch_new"),
        {"up_to": "2026-10-31", "checked": page.context["waiting"].fingerprint, "confirm": "1"},
    )
    response = client.get(
        reverse("finance:audit"), {"record_type": "export_batch", "_export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Record"], row["Action"]) for row in rows] == [("Export batch 1", "Created")]
    assert rows[0]["What changed"] == (
        "Exported the entries up to 31/10/2026: 2 entries, debits £600.00, credits £700.00"
    )
    assert finance_officer.get_full_name() in rows[0]["Who"]


def test_the_audit_trail_shows_a_change_of_the_ledger_layout(client_for, finance_officer):
    import csv
    import io

    from partnership.partnership_file import load_text

    head = "format: 1\npartnership: {name: P, local_authority: {code: 312, name: H}}\n"
    load_text(head + "ledger: {credits: positive}\n")
    load_text(head + "ledger: {credits: positive}\n")  # the same again: no change kept
    load_text(head + "ledger: {credits: negative, accounts: {sales: {cfr_code: I08}}}\n")
    response = client_for(finance_officer).get(
        reverse("finance:audit"), {"record_type": "ledger_layout", "_export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Action"], row["Who"]) for row in rows] == [
        ("Changed", "Partnership file"),
        ("Created", "Partnership file"),
    ]
    assert "Sign of credits: positive → negative" in rows[0]["What changed"]
    assert "Codes by kind of entry: none → sales: cfr_code I08" in rows[0]["What changed"]
