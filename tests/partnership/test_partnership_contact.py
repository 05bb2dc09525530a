"""`partnership.contact` in the partnership file: who schools contact, for the public pages."""

import pytest

from partnership.models import Partnership
from partnership.partnership_file import PartnershipFileError, load_text

pytestmark = pytest.mark.django_db

FILE = """
format: 1
partnership:
  name: Hillingdon Schools' Improvement Partnership
  local_authority: {{code: 312, name: Hillingdon}}
{contact}
"""


def load(contact=""):
    return load_text(FILE.format(contact=contact))


def test_the_contact_is_loaded():
    load(
        "  contact:\n"
        "    email: Partnership@Example.org\n"
        "    telephone: 020 7946 0321\n"
        "    address: |\n"
        "      Civic Centre\n"
        "      Uxbridge UB8 1UW\n"
    )
    partnership = Partnership.current()
    assert partnership.contact_email == "partnership@example.org"
    assert partnership.contact_telephone == "020 7946 0321"
    assert partnership.contact_address == "Civic Centre\nUxbridge UB8 1UW"


def test_a_file_without_contact_leaves_it_and_one_with_it_sets_exactly_what_it_says():
    load("  contact: {email: partnership@example.org, telephone: 020 7946 0321}")
    load()
    assert Partnership.current().contact_telephone == "020 7946 0321"
    load("  contact: {email: partnership@example.org}")
    partnership = Partnership.current()
    assert (partnership.contact_email, partnership.contact_telephone) == (
        "partnership@example.org",
        "",
    )


def test_a_bad_contact_is_refused_with_its_path_and_changes_nothing():
    load("  contact: {email: partnership@example.org}")
    with pytest.raises(PartnershipFileError) as refused:
        load("  contact: {email: not-an-address, fax: 020 7946 0000}")
    assert refused.value.problems == ["partnership.contact.fax: unknown key"]
    with pytest.raises(PartnershipFileError) as refused:
        load("  contact: {email: not-an-address}")
    assert refused.value.problems == ["partnership.contact.email: not an email address"]
    assert Partnership.current().contact_email == "partnership@example.org"
