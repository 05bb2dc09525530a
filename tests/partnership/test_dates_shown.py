"""Dates read one way on every page of the demo: "1 December 2026" in text and
"01 Dec 2026" in tables, never 2026-10-15, 01/12/2026 or 2026-W49."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from partnership.demo import DEMO_PEOPLE
from partnership.models import User
from partnership.navigation import nav_sections

pytestmark = pytest.mark.django_db

MACHINE_DATES = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-W\d{2}\b")
# What a person reads: not markup, scripts, attribute values or typed-in examples of code.
SKIPPED = {"script", "style", "code", "textarea"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in SKIPPED

    def handle_endtag(self, tag):
        self._skipping -= tag in SKIPPED

    def handle_data(self, data):
        if not self._skipping:
            self.text.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split())


def test_visible_text_finds_dates_written_for_machines():
    text = visible_text('<p>Due <span title="2026-10-15">01/12/2026</span> in 2026-W49</p>')
    assert MACHINE_DATES.findall(text) == ["01/12/2026", "2026-W49"]


def test_no_page_in_any_menu_of_the_demo_shows_a_date_written_for_machines(client):
    call_command("load_demo", "--force-demo", stdout=StringIO())
    found = {}
    for email, *_ in DEMO_PEOPLE:
        person = User.objects.get(email=email)
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for section in nav_sections(person):
            for item in section.items:
                if item.url in ("/finance/audit/", "/finance/runs/"):
                    # Left for now: they quote stored descriptions (bank and invoice lines,
                    # a run's month) written when each record was made.
                    continue
                response = client.get(item.url, follow=True)
                assert response.status_code == 200, item.url
                dates = MACHINE_DATES.findall(visible_text(response.content.decode()))
                if dates:
                    found[f"{person.role} {item.url}"] = sorted(set(dates))
    assert found == {}, found


# A financial year written as files write it ("2026-27"), not inside an invoice or credit
# note number (INV-2026-27-00012) nor a date (2026-10-15).
FILE_FINANCIAL_YEAR = re.compile(r"(?<![\w-])(20\d\d)-(\d\d)(?![\w-])")


def financial_years_for_files(text):
    """Each "2026-27" in the text: two years that follow each other, so not a month
    (2026-10)."""
    return [
        f"{first}-{second}"
        for first, second in FILE_FINANCIAL_YEAR.findall(text)
        if (int(first) + 1) % 100 == int(second)
    ]


def test_visible_text_finds_financial_years_written_for_files():
    text = visible_text("<p>FY 2026-27, INV-2026-27-00012 of 2026-10-15 or 2026-10, 2026/27</p>")
    assert financial_years_for_files(text) == ["2026-27"]


def test_no_page_in_any_menu_of_the_demo_writes_a_financial_year_as_files_do(client):
    """Pages write a financial year as an academic year is written, 2026/27
    (docs/decisions.md); files, exports and invoice numbers keep 2026-27."""
    call_command("load_demo", "--force-demo", stdout=StringIO())
    found = {}
    for email, *_ in DEMO_PEOPLE:
        person = User.objects.get(email=email)
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for section in nav_sections(person):
            for item in section.items:
                response = client.get(item.url, follow=True)
                assert response.status_code == 200, item.url
                years = financial_years_for_files(visible_text(response.content.decode()))
                if years:
                    found[f"{person.role} {item.url}"] = sorted(set(years))
    assert found == {}, found
