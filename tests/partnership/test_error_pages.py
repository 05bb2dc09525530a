"""Refusals and missing pages are the portal's own pages, in its layout, in plain words."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_your_role_cannot_open_says_so_in_the_portals_layout(client_for, finance_officer):
    response = client_for(finance_officer).get(reverse("governance:dashboard"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in page and "govuk-template" in page
    assert "Sign out" in page  # the signed-in menu is there to go elsewhere


def test_a_missing_page_says_so_in_the_portals_layout(client_for, head_a):
    response = client_for(head_a).get("/finance/invoices/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_page_needs_nothing_from_the_request(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in_not_refused():
    response = Client().get(reverse("finance:trading_account"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
