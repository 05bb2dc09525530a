"""Every list's filters say what an empty choice means ("Any status"), never Django's
"---------" (issue 14: the head's Invoices page showed it twice)."""

import inspect
from importlib import import_module

import django_filters
import pytest

FILTER_MODULES = (
    "finance.filters",
    "governance.filters",
    "membership.filters",
    "offers.filters_bookings",
    "offers.filters_catalogue",
    "schools.filters",
    "schools.filters_access",
)


def filtersets():
    for name in FILTER_MODULES:
        module = import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_filters.FilterSet) and cls.__module__ == name:
                yield cls


@pytest.mark.django_db
@pytest.mark.parametrize("filterset", list(filtersets()), ids=lambda cls: cls.__name__)
def test_no_filter_offers_an_unnamed_empty_choice(filterset):
    form = filterset(data={}).form
    assert "---------" not in form.as_div(), filterset.__name__


def test_the_invoice_filters_name_their_empty_choice():
    from finance.filters import InvoiceFilter

    form = InvoiceFilter(data={}).form
    assert form.fields["status"].choices[0] == ("", "Any status")
    assert form.fields["billing"].choices[0] == ("", "Any billing")
