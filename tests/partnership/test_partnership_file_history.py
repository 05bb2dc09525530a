"""Loading the partnership file again writes history only for what the file changes: no
"Changed" entries with nothing changed in the audit trail."""

import csv
import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import registered_models

from finance.models import BudgetLine

pytestmark = pytest.mark.django_db
# Every section of the file: partnership, year, tiers, providers, offers, boards,
# priorities, costs and income.
HILLINGDON = Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml"


@pytest.fixture
def load(tmp_path):
    """Load a partnership file (its text, or a document to write as YAML) with the command."""

    def run(document=None):
        text = HILLINGDON.read_text() if document is None else yaml.safe_dump(document)
        path = tmp_path / "partnership.yaml"
        path.write_text(text, encoding="utf-8")
        call_command("load_partnership", str(path), stdout=io.StringIO())

    return run


def history_rows():
    """Every row of every audited record's history, as (record type, record id, action, row)."""
    return sorted(
        (model._meta.label, row.id, row.history_type, row.history_id)
        for model in registered_models.values()
        for row in model.history.all()
    )


def test_loading_the_same_file_again_writes_no_history(load):
    load()
    first = history_rows()
    chair = BudgetLine.objects.get(code="chair")
    assert [row[:3] for row in first if row[:2] == ("finance.BudgetLine", chair.pk)] == [
        ("finance.BudgetLine", chair.pk, "+")
    ]
    load()
    assert history_rows() == first


def test_loading_the_same_file_again_saves_no_record(load):
    load()
    with CaptureQueriesContext(connection) as queries:
        load()
    updates = [
        query["sql"]
        for query in queries
        if query["sql"].startswith("UPDATE")
        # Which year is current is worked out again on every load, with one update.
        and "membership_membershipyear" not in query["sql"]
    ]
    assert updates == []


def test_a_value_changed_in_the_file_writes_one_change_showing_it(
    load, client_for, finance_officer
):
    load()
    before = history_rows()
    document = yaml.safe_load(HILLINGDON.read_text())
    assert document["costs"][0]["code"] == "chair"
    document["costs"][0]["quantity"] = 22
    load(document)
    chair = BudgetLine.objects.get(code="chair")
    new_rows = [row[:3] for row in history_rows() if row not in before]
    assert new_rows == [("finance.BudgetLine", chair.pk, "~")]
    response = client_for(finance_officer).get(
        reverse("finance:audit"),
        {"record_type": "budget_line", "action": "changed", "_export": "csv"},
    )
    changed = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Who"], row["Record"], row["Action"], row["What changed"]) for row in changed] == [
        (
            "Partnership file",
            "Independent chair (2026/27)",
            "Changed",
            "Quantity: 20 → 22; Amount: £12,000.00 → £13,200.00",
        )
    ]


def test_a_cost_written_to_more_places_than_are_kept_is_not_a_change_when_loaded_again(load):
    # The database keeps a unit cost to the penny: 600.004 is kept as 600.00, which is
    # still what the file says when it is loaded again.
    document = yaml.safe_load(HILLINGDON.read_text())
    document["costs"][0]["unit_cost"] = "600.004"
    load(document)
    first = history_rows()
    load(document)
    assert history_rows() == first
