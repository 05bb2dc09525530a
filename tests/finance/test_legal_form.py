"""The partnership's legal form decides who is recharged internally and who is invoiced."""

import datetime

import pytest
from django.urls import reverse

from finance import rules
from finance.models import Invoice
from finance.services import run_annual_membership_invoices
from partnership.models import Partnership
from partnership.partnership_file import PartnershipFileError, load_text
from tests.factories import SchoolFactory, school_user

pytestmark = pytest.mark.django_db

FILE = """
format: 1
partnership:
  name: Haringey Education Partnership
  local_authority: {{code: 309, name: Haringey}}
{legal_form}
"""


def load(legal_form_line=""):
    return load_text(FILE.format(legal_form=legal_form_line))


def test_a_file_that_does_not_say_is_a_trading_account_inside_the_council():
    load()
    assert Partnership.current().legal_form == "la_trading_account"


def test_the_file_states_a_schools_led_company_and_loading_again_changes_it():
    load("  legal_form: company")
    assert Partnership.current().legal_form == "company"
    load("  legal_form: la_trading_account")
    assert Partnership.current().legal_form == "la_trading_account"


def test_an_unknown_legal_form_is_refused_with_its_path_and_changes_nothing():
    load("  legal_form: company")
    with pytest.raises(PartnershipFileError) as refused:
        load("  legal_form: charity")
    assert refused.value.problems == [
        "partnership.legal_form: must be one of company, la_trading_account"
    ]
    assert Partnership.current().legal_form == "company"


def test_billing_rule():
    maintained = SchoolFactory.build(governance="community")
    academy = SchoolFactory.build(governance="academy")
    assert rules.billing_for("la_trading_account", maintained) == "internal_recharge"
    assert rules.billing_for("la_trading_account", academy) == "external_invoice"
    assert rules.billing_for("company", maintained) == "external_invoice"
    assert rules.billing_for("company", academy) == "external_invoice"


@pytest.fixture
def members(join):
    """A maintained primary and an academy, both members for 2026/27."""
    community = SchoolFactory(name="Community Primary", governance="community", pupils=300)
    academy = SchoolFactory(name="Oak Academy", governance="academy", pupils=300)
    for school in (community, academy):
        join(school, school_user(school))
    return community, academy


def billed_by_school():
    invoices = run_annual_membership_invoices(
        academic_year="2026/27", issue_date=datetime.date(2026, 9, 1)
    )
    return {invoice.school.name: invoice.billing for invoice in invoices}


def test_an_la_trading_account_recharges_its_maintained_schools_and_invoices_academies(members):
    load()
    assert billed_by_school() == {
        "Community Primary": Invoice.Billing.INTERNAL_RECHARGE,
        "Oak Academy": Invoice.Billing.EXTERNAL_INVOICE,
    }


def test_a_schools_led_company_invoices_every_school(members):
    load("  legal_form: company")
    assert billed_by_school() == {
        "Community Primary": Invoice.Billing.EXTERNAL_INVOICE,
        "Oak Academy": Invoice.Billing.EXTERNAL_INVOICE,
    }


def test_the_settings_page_shows_the_legal_form_to_coordinator_and_finance(
    client_for, coordinator, finance_officer, head_a
):
    load("  legal_form: company")
    for user in (coordinator, finance_officer):
        page = client_for(user).get(reverse("partnership_settings"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "A schools-led company" in text
        assert "Every school is sent an external invoice" in text
    assert client_for(head_a).get(reverse("partnership_settings")).status_code == 403
