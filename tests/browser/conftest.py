"""Browser journeys: Debian chromium driven by Playwright against a live server, with axe."""

import os
import shutil
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct-horse-battery"
# How long a step waits for what it expects. Generous: on a loaded two-core CI machine a
# sign-in and first page can take over ten seconds, and a wait only runs out when what it
# waits for never comes.
STEP_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is missing: `make test` installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp only so axe-core can be injected; the app's own pages run under CSP.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def demo(monkeypatch):
    """The demo partnership, loaded as `make demo` loads it."""
    from django.core.management import call_command

    from membership import services

    # A day in the demo's 2026/27 year, so fees are for the nine months left from December.
    monkeypatch.setattr(services, "today", lambda: date(2026, 12, 2))
    call_command("load_demo", "--force-demo", stdout=open(os.devnull, "w"))


def sign_in(page, email, password=PASSWORD, totp_user=None):
    """Sign in through the real login form, typing the authenticator app's current code for
    anyone who has one (finance officers, coordinators, staff)."""
    from allauth.mfa.models import Authenticator

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if totp_user is None and password == PASSWORD:
        totp = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP)
        totp_user = totp.first().user if totp.exists() else None
    if totp_user is not None:
        from partnership.demo import current_totp_code

        page.get_by_label("Code", exact=True).fill(current_totp_code(totp_user))
        page.get_by_role("button", name="Sign In", exact=True).click()


def assert_accessible(page):
    """Zero axe-core violations of WCAG 2.2 A and AA on the page as it stands."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
