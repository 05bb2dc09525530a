"""Every error names its field (GOV.UK error messages), in the summary and beside the field,
and an empty choice says what it means."""

import pytest
from django import forms
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


class Example(forms.Form):
    reason = forms.CharField(label="Reason for the credit note")
    amount = forms.DecimalField(label="Amount received (£)")
    received_on = forms.DateField(label="Date received")
    method = forms.ChoiceField(
        label="How it was paid", choices=[("", "---------"), ("bacs", "BACS")]
    )
    urn = forms.CharField(label="URN")


def test_bare_required_messages_name_their_field_in_the_summary_and_beside_it():
    form = Example({"amount": "lots", "received_on": "31/02/2026", "method": ""})
    assert not form.is_valid()
    page = render_to_string("includes/error_summary.html", {"form": form}) + str(form)
    assert "This field is required." not in page
    for message in (
        "Enter reason for the credit note",
        "Enter amount received as a number",
        "Enter date received as a real date, for example 2026-10-01",
        "Select how it was paid",
        "Enter URN",
    ):
        assert page.count(message) == 2, message  # once in the summary, once at the field


def test_an_empty_choice_says_choose_one():
    assert "---------" not in str(Example())
    assert "Choose one" in str(Example())
