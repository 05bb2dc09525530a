"""`partnership.waiting_list_hold_hours` in the partnership file: how long a place offered
from a waiting list is held (also set on the Partnership settings page)."""

import pytest

from partnership.models import Partnership
from partnership.partnership_file import PartnershipFileError, load_text

pytestmark = pytest.mark.django_db

FILE = """
format: 1
partnership:
  name: Hillingdon Schools' Improvement Partnership
  local_authority: {{code: 312, name: Hillingdon}}
{hold}
"""


def load(hold=""):
    return load_text(FILE.format(hold=hold))


def test_without_the_key_a_place_is_held_for_48_hours():
    load()
    assert Partnership.current().waiting_list_hold_hours == 48


def test_the_key_sets_the_hold_and_a_file_without_it_leaves_what_the_page_set():
    load("  waiting_list_hold_hours: 24")
    assert Partnership.current().waiting_list_hold_hours == 24
    Partnership.objects.update(waiting_list_hold_hours=12)
    load()
    assert Partnership.current().waiting_list_hold_hours == 12


@pytest.mark.parametrize(
    "value, problem",
    [
        ("0", "must be at least 1"),
        ("1.5", "must be a whole number"),
        ("337", "must be 336 hours (14 days) or fewer"),
        ("soon", "not a number"),
    ],
)
def test_a_bad_hold_is_refused_with_its_path_and_changes_nothing(value, problem):
    load("  waiting_list_hold_hours: 24")
    with pytest.raises(PartnershipFileError) as refused:
        load(f"  waiting_list_hold_hours: {value}")
    assert refused.value.problems == [f"partnership.waiting_list_hold_hours: {problem}"]
    assert Partnership.current().waiting_list_hold_hours == 24
