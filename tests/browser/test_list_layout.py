"""Every list, as the role that keeps it, on a phone (375 px) and a laptop (1280 px): the
page never scrolls sideways, no column hides behind a scroll on the laptop, and axe finds
nothing, and all the text is in one font; on the laptop no word is split to squeeze its
column, and on the phone no column's name lies over another. Run on the demo, so the tables
hold realistic rows."""

from io import StringIO

import pytest
from django.core.management import call_command

from partnership.demo import DEMO_PASSWORD
from partnership.models import User

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = {
    "head@demo.school": [
        "/offer/",
        "/offer/bookings/",
        "/offer/courses/",
        "/finance/invoices/",
        "/governance/minutes/",
        "/governance/vacancies/",
    ],
    "coordinator@demo.partnership": [
        "/schools/",
        "/offer/manage/providers/",
        "/offer/manage/practitioners/",
        "/offer/manage/offers/",
        "/offer/manage/tiers/",
        "/offer/bookings/",
        "/offer/deployments/",
        "/offer/commissioned/",
        "/offer/courses/",
        "/offer/bookings/demand/",
        "/membership/all/",
        "/membership/interest/",
        "/membership/renewals/",
        "/governance/",
        "/governance/meetings/",
        "/governance/actions/",
        "/governance/task-and-finish/",
        "/governance/priorities/",
        "/governance/nominations/",
        "/people/",
    ],
    "finance@demo.council": [
        "/finance/invoices/",
        "/finance/ledger/",
        "/finance/runs/",
        "/finance/audit/",
        "/membership/fee-schedule/",
    ],
    "practitioner@demo.partnership": ["/offer/deployments/mine/"],
}
PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1280, "height": 800}

OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('.portal-table-scroll')]
    .filter((region) => region.scrollWidth > region.clientWidth + 1)  // a pixel of rounding
    .map((region) => region.getAttribute('aria-label')),
  fonts: [...new Set([...document.querySelectorAll('body *')]
    .filter((el) => !el.closest('code, pre, script, style'))
    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((el) => getComputedStyle(el).fontFamily))],
  // A word split over two lines to squeeze its column ("Secondar/y"); email addresses may be.
  broken: [...document.querySelectorAll('table[data-stack] td:not(.portal-break)')]
    .flatMap((td) => {
      const split = [];
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        for (const word of text.data.matchAll(/[^\\s\\-–\\/]+/g)) {
          const range = document.createRange();
          range.setStart(text, word.index);
          range.setEnd(text, word.index + word[0].length);
          const lines = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
          if (lines.size > 1) split.push(word[0]);
        }
      }
      return split;
    }),
  // On a phone a stacked cell is at least as tall as its column's name, so a name that wraps
  // ("Non-member price") never lies over the next one.
  overlaps: [...document.querySelectorAll('table[data-stack] td[data-label]')]
    .filter((td) => td.dataset.label && getComputedStyle(td).display !== 'table-cell')
    .filter((td) => parseFloat(getComputedStyle(td, '::before').height)
      > td.getBoundingClientRect().height + 1)
    .map((td) => td.dataset.label),
})"""


@pytest.fixture
def demo(settings):
    call_command("load_demo", "--force-demo", stdout=StringIO())


@pytest.mark.parametrize("email", list(LISTS))
def test_every_list_fits_a_phone_and_a_laptop(page, demo, email):
    user = User.objects.get(email=email)
    sign_in(page, email, password=DEMO_PASSWORD, totp_user=_with_authenticator(user))
    page.wait_for_url("**/dashboard/")
    problems = []
    for url in LISTS[email]:
        for size in (PHONE, LAPTOP):
            page.set_viewport_size(size)
            response = page.goto(url)
            assert response.status == 200, url
            found = page.evaluate(OVERFLOW)
            if found["page"] > 0:
                problems.append(f"{url} at {size['width']} px scrolls {found['page']} px sideways")
            if len(found["fonts"]) != 1:
                problems.append(f"{url} uses the fonts {found['fonts']}")
            if found["overlaps"]:
                problems.append(f"{url} at {size['width']} px overlaps {found['overlaps']}")
            if size is LAPTOP and found["tables"]:
                problems.append(f"{url} at 1280 px hides columns of {found['tables']}")
            if size is LAPTOP and found["broken"]:
                problems.append(f"{url} at 1280 px splits the words {found['broken'][:5]}")
            assert_accessible(page)
    assert problems == []


def test_on_a_phone_results_come_before_the_folded_filters_and_actions_are_on_screen(page, demo):
    email = "head@demo.school"
    sign_in(page, email, password=DEMO_PASSWORD)
    page.wait_for_url("**/dashboard/")
    page.set_viewport_size(PHONE)
    page.goto("/offer/")
    details = page.locator("details.portal-filter-details")
    assert details.get_attribute("open") is None
    # The table's first row is on screen, each cell labelled by its column.
    first_row = page.locator("table[data-stack] tbody tr").first
    assert first_row.is_visible()
    label = first_row.locator("td").first.evaluate(
        "(cell) => getComputedStyle(cell, '::before').content"
    )
    assert label not in ("", "none", "normal")
    page.goto("/offer/courses/")
    book = page.get_by_role("link", name="Book places").first
    box = book.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.set_viewport_size(LAPTOP)
    page.goto("/offer/")
    assert page.locator("details.portal-filter-details").get_attribute("open") is not None


def _with_authenticator(user):
    from allauth.mfa.models import Authenticator

    has = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return user if has else None


def test_on_a_phone_a_list_is_sorted_with_the_sort_by_form(page, demo):
    """At 375 px the rows stack and the column headers that sort the list are hidden, so a
    "Sort by" form above the table sorts it, keeping the filters; on a laptop the headers do."""
    email = "coordinator@demo.partnership"
    sign_in(page, email, password=DEMO_PASSWORD, totp_user=User.objects.get(email=email))
    page.wait_for_url("**/dashboard/")
    page.set_viewport_size(PHONE)
    page.goto("/schools/?q=primary")
    header = page.locator("table[data-stack] thead").bounding_box()
    assert header is not None and header["height"] <= 1  # the headers are out of sight
    sort_by = page.get_by_label("Sort by")
    assert sort_by.is_visible()
    sort_by.select_option(label="Name, descending")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url("**sort=-name**")
    assert "q=primary" in page.url
    names = page.locator("table[data-stack] tbody tr td:first-child").all_inner_texts()
    assert len(names) >= 2 and names == sorted(names, key=str.lower, reverse=True)
    assert all("primary" in name.lower() for name in names)
    assert page.get_by_label("Sort by").input_value() == "-name"
    assert page.evaluate(OVERFLOW)["page"] <= 0
    assert_accessible(page)
    page.set_viewport_size(LAPTOP)
    assert not page.get_by_label("Sort by").is_visible()
