"""A new headteacher's whole journey on the demo partnership, from the first visit to a booked
peer review that uses the membership's inclusion and an invoice on the school's Invoices page.

Anonymous: the public fee calculator (by name and by `?urn=`), the school's fee for each
membership, the offer, then Request access. The coordinator approves the request; the head
follows the invitation email, chooses a password and lands on the dashboard; signs the costed
agreement for Standard membership (which includes one peer review); the coordinator approves
it. The head books a peer review ("1 of 1 used", £0.00), then tries another and is told the
inclusion is used and shown the member price. The finance officer's annual run invoices the
membership, and the head finds the invoice with its figures.

Every page: axe at zero WCAG 2.2 AA violations, and at 1280 px (and, for the public and the
head's pages, at 375 px) no sideways scrolling, no table column hidden behind a scroll, no
word in a list split to squeeze its column, no stacked column name lying over the next.
BROWSER_SCREENSHOTS=<folder> keeps a picture of every step at both widths
(`journey-<n>-<step>-<width>.png`).
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from finance.models import Invoice
from membership.models import Membership
from offers.models import Booking
from partnership.demo import DEMO_PASSWORD, current_totp_code
from partnership.models import User

from .conftest import STEP_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
NEW_PASSWORD = "a-long-new-passphrase-2026"
URN = "102412"  # Riverside Foundation Primary School: 352 pupils, no membership in the demo
SCHOOL = "Riverside Foundation Primary School"
HEAD = "rita.rivers@riverside.sch.uk"


# What does not fit: sideways scrolling of the page, a table whose columns hide behind its
# own scroll, a word in a table split over two lines to squeeze its column ("Secondar/y";
# email addresses may be), and (on a phone, where rows stack) a column's name taller than
# its cell, which then lies over the next one.
LAYOUT = """() => ({
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
  page: document.documentElement.scrollWidth - window.innerWidth,
  tables: [...document.querySelectorAll('.portal-table-scroll')]
    .filter((region) => region.scrollWidth > region.clientWidth + 1)
    .map((region) => region.getAttribute('aria-label')),
  overlaps: [...document.querySelectorAll('table[data-stack] td[data-label]')]
    .filter((td) => td.dataset.label && getComputedStyle(td).display !== 'table-cell')
    .filter((td) => parseFloat(getComputedStyle(td, '::before').height)
      > td.getBoundingClientRect().height + 1)
    .map((td) => td.dataset.label),
})"""


class Steps:
    """Checks every page the journey reaches: axe at 1280 px, and everything fits at 1280 px
    and, for the public and the head's pages, at 375 px; a screenshot of each when asked."""

    def __init__(self):
        self.folder = os.environ.get("BROWSER_SCREENSHOTS")
        self.count = 0

    def __call__(self, page, name, phone=True):
        self.count += 1
        assert_accessible(page)
        self.fits(page, name, DESKTOP)
        if phone:
            page.set_viewport_size(PHONE)
            self.fits(page, name, PHONE)
            page.set_viewport_size(DESKTOP)

    def fits(self, page, name, size):
        found = page.evaluate(LAYOUT)
        where = f"{name} at {size['width']} px"
        assert found["page"] <= 0, f"{where} scrolls {found['page']} px sideways"
        assert found["tables"] == [], f"{where} hides columns of {found['tables']}"
        assert found["overlaps"] == [], f"{where}: column names over others {found['overlaps']}"
        if size is DESKTOP:
            assert found["broken"] == [], f"{where} splits the words {found['broken']}"
        self.shoot(page, name, size)

    def shoot(self, page, name, size):
        if self.folder:
            Path(self.folder).mkdir(parents=True, exist_ok=True)
            path = f"{self.folder}/journey-{self.count:02d}-{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True)


def staff_sign_in(page, email):
    """Sign in as a demo person who has an authenticator (coordinator, finance officer)."""
    user = User.objects.get(email=email)
    sign_in(page, email, password=DEMO_PASSWORD, totp_user=user)
    try:
        page.wait_for_url("**/dashboard/")
    except PlaywrightTimeoutError:
        # The code turned over between reading it and sending it: type the new one.
        page.get_by_label("Code", exact=True).fill(current_totp_code(user))
        page.get_by_role("button", name="Sign In", exact=True).click()
        page.wait_for_url("**/dashboard/")


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    return context, page


def test_a_new_head_finds_their_fee_joins_and_books_a_peer_review_their_membership_includes(
    browser, live_server, demo
):
    step = Steps()
    head_context, page = new_page(browser, live_server)

    # The fee calculator, anonymous: find the school by name, then its fee for each tier.
    page.goto("/fees/")
    page.get_by_role("heading", level=1, name="Membership fees").wait_for()
    step(page, "fees")
    page.get_by_label("School name, URN or postcode").fill("riverside")
    page.get_by_role("button", name="Find school").click()
    page.get_by_role("heading", name="1 school found").wait_for()
    step(page, "fees-found")
    # By postcode too.
    page.get_by_label("School name, URN or postcode").fill("ub3 9ly")
    page.get_by_role("button", name="Find school").click()
    page.get_by_role("heading", name="1 school found").wait_for()
    page.get_by_role("link", name=SCHOOL).click()
    page.get_by_role("heading", level=1, name=SCHOOL).wait_for()
    assert page.url.endswith(f"/fees/?urn={URN}")
    for heading in (
        "Basic membership: £660.00",
        "Standard membership: £2,100.00",
        "Advanced membership: £3,225.00",
    ):
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    standard = page.locator(".govuk-summary-card").filter(has_text="Standard membership")
    assert "band 211–500 pupils: £2,800.00; joined in December: 9/12" in standard.inner_text()
    assert page.get_by_text(f"when {SCHOOL} had 352 pupils").count() == 1
    assert "Peer review" in standard.inner_text()
    step(page, "fees-school")
    # The same page straight from its address.
    page.goto(f"/fees/?urn={URN}")
    page.get_by_role("heading", name="Standard membership: £2,100.00").wait_for()

    # The offer: the peer review's member and non-member prices.
    page.get_by_role("link", name="see what the partnership offers").click()
    page.get_by_role("heading", level=1, name="What the partnership offers").wait_for()
    step(page, "offer")
    page.get_by_role("link", name="Peer review", exact=True).click()
    page.get_by_role("heading", level=1, name="Peer review").wait_for()
    assert page.get_by_role("row", name="Member Primary £1,000.00").count() == 1
    assert page.get_by_role("row", name="Non-member Primary £1,200.00").count() == 1
    step(page, "offer-peer-review")

    # Request access for the school, straight from its fees.
    page.goto(f"/fees/?urn={URN}")
    page.get_by_role("link", name=f"Request access to the portal for {SCHOOL}").click()
    page.get_by_role("heading", level=1, name="Your details").wait_for()
    step(page, "request-access")
    page.get_by_label("First name").fill("Rita")
    page.get_by_label("Last name").fill("Rivers")
    page.get_by_label("Headteacher", exact=True).check()
    page.get_by_label("Work email address").fill(HEAD)
    page.get_by_role("button", name="Send request").click()
    page.get_by_role("heading", level=1, name="Request sent").wait_for()
    step(page, "request-sent")

    # The coordinator approves it from the queue.
    desk_context, desk = new_page(browser, live_server)
    staff_sign_in(desk, "coordinator@demo.partnership")
    desk.goto("/schools/access-requests/")
    desk.get_by_role("heading", level=1, name="Requests for access").wait_for()
    step(desk, "coordinator-queue", phone=False)
    desk.get_by_role("link", name="Rita Rivers").click()
    desk.get_by_role("heading", level=1, name="Rita Rivers").wait_for()
    step(desk, "coordinator-request", phone=False)
    desk.get_by_role("button", name="Approve and send invitation").click()
    desk.get_by_text(f"Approved: Rita Rivers is invited to act for {SCHOOL}").wait_for()
    step(desk, "coordinator-approved", phone=False)

    # The invitation: choose a password and land signed in on the school's dashboard.
    invitation = mail.outbox[-1]
    assert invitation.to == [HEAD]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.body).group(0)
    page.goto(link)
    page.get_by_role("heading", level=1, name="Choose your password").wait_for()
    step(page, "choose-password")
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password and sign in").click()
    page.get_by_role("heading", level=1, name="Your school").wait_for()
    assert page.url.endswith("/dashboard/")
    # One message, not "Password successfully changed." above "Successfully signed in".
    assert page.locator(".govuk-notification-banner").count() == 1
    page.get_by_text("Your password is saved and you are signed in").wait_for()
    assert page.get_by_text("No open bookings").count() == 1
    step(page, "dashboard")

    # Membership: sign the costed agreement for Standard membership.
    page.get_by_role("link", name="Join: see your fee and sign the costed agreement").click()
    page.get_by_role("heading", level=1, name=SCHOOL).wait_for()
    step(page, "membership")
    page.get_by_role("link", name="Sign the costed agreement").click()
    page.get_by_role("heading", level=1, name="Costed agreement for 2026/27").wait_for()
    step(page, "agreement")
    page.get_by_label("Standard membership: £2,100.00").check()
    page.get_by_label("Purchase order number").fill("PO-RIV-1")
    page.get_by_label("I accept the terms of membership").check()
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_text("Agreement signed: Standard membership for 2026/27, £2,100.00.").wait_for()
    step(page, "agreement-signed")
    membership = Membership.objects.get(school__urn=URN)
    assert (membership.status, str(membership.fee_amount)) == ("pending", "2100.00")

    # The coordinator approves the membership.
    desk.goto(f"/membership/schools/{URN}/")
    desk.get_by_role("link", name="Approve or decline").click()
    step(desk, "coordinator-decide", phone=False)
    desk.get_by_label("Approve: the membership becomes active").check()
    desk.get_by_role("button", name="Save decision").click()
    desk.get_by_text(f"{SCHOOL} is now an active member for 2026/27").wait_for()
    step(desk, "coordinator-membership-approved", phone=False)

    # The head books a peer review: included in the membership, £0.00.
    page.goto("/offer/bookings/")
    page.get_by_role("heading", level=1, name="Bookings").wait_for()
    assert page.get_by_text("Your school has no bookings yet.").count() == 1
    step(page, "bookings-empty")
    page.get_by_role("link", name="Book support").click()
    step(page, "book")
    page.get_by_label("Offer", exact=True).select_option(label="Peer review (per review)")
    page.get_by_label("Units").fill("1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your booking").wait_for()
    summary = page.locator(".govuk-summary-list").first.inner_text()
    assert "1 of 1 used" in summary, summary
    assert "£0.00" in summary, summary
    step(page, "book-check")
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_text("is confirmed").wait_for()
    assert page.get_by_text("1 review, at no charge").count() == 1
    step(page, "booked")
    first = Booking.objects.get(school__urn=URN)
    assert (first.included_units, first.charge_now) == (1, 0)

    # A second peer review: the inclusion is used, so the member price.
    page.goto("/offer/bookings/new/")
    page.get_by_label("Offer", exact=True).select_option(label="Peer review (per review)")
    page.get_by_label("Units").fill("1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your booking").wait_for()
    assert page.get_by_text("already used by your earlier booking").count() == 1
    assert "£1,000.00" in page.locator(".govuk-summary-list").first.inner_text()
    step(page, "book-again-check")
    page.get_by_role("button", name="Confirm booking").click()
    page.get_by_text("is confirmed").wait_for()

    # The finance officer's annual run invoices the new membership.
    finance_context, office = new_page(browser, live_server)
    staff_sign_in(office, "finance@demo.council")
    office.goto("/finance/runs/")
    office.get_by_label("Academic year to invoice").fill("2026/27")
    office.get_by_role("button", name="Continue").click()
    assert office.locator("#run-count").inner_text() == "1"
    step(office, "finance-run-check", phone=False)
    office.get_by_role("button", name="Issue 1 invoice").click()
    office.get_by_role("heading", name="Finished").wait_for()
    assert office.get_by_text("1 membership invoice issued for 2026/27").is_visible()
    step(office, "finance-run-done", phone=False)
    invoice = Invoice.objects.get(school__urn=URN)

    # The head's Invoices page.
    page.goto("/dashboard/")
    page.get_by_role("link", name="Invoices", exact=True).first.click()
    page.get_by_role("heading", level=1, name="Invoices").wait_for()
    row = page.get_by_role("row").filter(has_text=invoice.number)
    # A maintained school's fee is recharged internally: its total, and nothing to pay.
    assert [cell.inner_text() for cell in row.get_by_role("cell").all()][-3:] == [
        "£2,100.00",
        "Nothing to pay",
        "Nothing to pay: recharged internally",
    ]
    assert page.get_by_role("option", name="---------").count() == 0
    step(page, "invoices")
    row.get_by_role("link", name=invoice.number).click()
    page.get_by_role("heading", level=1, name=f"Invoice {invoice.number}").wait_for()
    lines = page.get_by_role("row").filter(has_text="Membership 2026/27: Standard membership")
    assert "band 211–500 pupils: £2,800.00; joined in December: 9/12" in lines.inner_text()
    assert "PO-RIV-1" in page.locator(".govuk-summary-list").first.inner_text()
    step(page, "invoice")

    for context in (finance_context, desk_context, head_context):
        context.close()
