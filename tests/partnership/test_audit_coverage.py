"""The audit trail covers what decides access and money (issue 13, finding 9): people's
accounts (role, staff, active), their second factors, school contacts, the partnership's
settings, tiers, fee schemes, offer prices, practitioners, minutes and decisions.

Each change is made the way the portal makes it (a page, the admin, the partnership
file) and read back from /finance/audit/ as a finance officer reads it: who, which
record, and what changed in words. A person's history never holds their password hash,
and a second factor's never its secret or recovery codes.
"""

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from governance.models import Board, Meeting
from offers.models import Offer, Practitioner
from partnership.demo import current_totp_code
from partnership.models import Authenticator, User
from partnership.partnership_file import load_text
from partnership.roles import Role
from schools.models import SchoolContact
from tests.factories import UserFactory
from tests.offers.booking_factories import make_practitioner

pytestmark = pytest.mark.django_db
AUDIT = reverse("finance:audit")
HILLINGDON = Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml"
PASSWORD = "a-new-long-passphrase-2026"


def trail(client, **filters) -> list[dict]:
    """The audit trail as its CSV download gives it, newest first."""
    response = client.get(AUDIT, {**filters, "_export": "csv"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def said(rows) -> list[tuple[str, str, str, str]]:
    return [(row["Who"], row["Record"], row["Action"], row["What changed"]) for row in rows]


def history_cells(table) -> list[str]:
    """Every value in every row of a history table, as text, read from the database."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a table name of ours)
        return [str(value) for row in cursor.fetchall() for value in row if value is not None]


def history_columns(table) -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }


@pytest.fixture
def finance(client_for, finance_officer):
    return client_for(finance_officer)


@pytest.fixture
def superuser(partnership_record):
    return UserFactory(
        role=Role.COORDINATOR,
        first_name="Sue",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )


# --- People's accounts ------------------------------------------------------------------


def admin_change(person, **changes):
    """The admin's change form for a person, as posted."""
    joined = timezone.localtime(person.date_joined)
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "role": person.role,
        "is_active": "on" if person.is_active else "",
        "is_staff": "on" if person.is_staff else "",
        "is_superuser": "on" if person.is_superuser else "",
        "date_joined_0": f"{joined:%Y-%m-%d}",
        "date_joined_1": f"{joined:%H:%M:%S}",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_a_role_staff_and_active_change_in_the_admin_is_in_the_trail(
    finance, client_for, superuser, head_a
):
    response = client_for(superuser).post(
        f"/admin/partnership/user/{head_a.pk}/change/",
        admin_change(head_a, role=Role.FINANCE, is_staff="on", is_active=""),
    )
    assert response.status_code == 302
    head_a.refresh_from_db()
    assert (head_a.role, head_a.is_staff, head_a.is_active) == (Role.FINANCE, True, False)

    changed = trail(finance, record_type="user", action="changed", search="head.a")
    assert said(changed[:1]) == [
        (
            "Sue Admin",
            f"Ann {head_a.last_name} (head.a@alpha.sch.uk)",
            "Changed",
            "Staff: no → yes; Active: yes → no; "
            "Role: Headteacher or school business manager → LA finance officer",
        )
    ]
    assert changed[0]["Record type"] == "User account"


def test_saving_a_person_unchanged_or_signing_in_writes_no_history(client_for, superuser, head_a):
    before = head_a.history.count()
    response = client_for(superuser).post(
        f"/admin/partnership/user/{head_a.pk}/change/", admin_change(head_a)
    )
    assert response.status_code == 302
    # A real sign-in (not force_login) records the last sign-in, which is not audited.
    client = client_for(None)
    response = client.post(
        "/accounts/login/", {"login": head_a.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response.url == reverse("dashboard")
    head_a.refresh_from_db()
    assert head_a.last_login is not None
    assert head_a.history.count() == before


def invite_finance_officer(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/people/invite/",
            {
                "first_name": "Fay",
                "last_name": "Ledger",
                "email": "fay@council.example",
                "role": "finance",
                "job_title": "Accountant",
            },
        )
    assert response.status_code == 302
    return User.objects.get(email="fay@council.example")


def set_password_from_invitation(client):
    """Follow the invitation's link and choose a password, as the invited person does."""
    link = re.search(r"https?://\S+|/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    response = client.get(link.group(0), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(0)
    response = client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_invited_officer_is_in_the_trail_and_their_password_never_is(
    finance, client_for, finance_officer, django_capture_on_commit_callbacks
):
    fay = invite_finance_officer(finance, django_capture_on_commit_callbacks)
    set_password_from_invitation(client_for(None))
    fay.refresh_from_db()
    assert fay.check_password(PASSWORD)

    rows = trail(finance, record_type="user", search="fay")
    assert said(rows) == [
        ("The portal", "Fay Ledger (fay@council.example)", "Changed", "Password set"),
        (
            str(finance_officer),
            "Fay Ledger (fay@council.example)",
            "Created",
            "Role: LA finance officer",
        ),
    ]
    # Neither the hash nor the last sign-in is a column of the history, nor in any row.
    columns = history_columns("partnership_historicaluser")
    assert {"role", "is_staff", "is_active", "password_set"} <= columns
    assert {"password", "last_login"} & columns == set()
    cells = history_cells("partnership_historicaluser")
    assert fay.password not in cells
    assert not [cell for cell in cells if cell.startswith(("pbkdf2_", "argon2", "md5$", "!"))]


# --- Second factors -----------------------------------------------------------------------


def sign_in(client, email, password):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302


def test_an_authenticator_added_and_removed_is_in_the_trail_without_its_secret(
    transactional_db, finance, client_for, finance_officer, django_capture_on_commit_callbacks
):
    # Committed as the portal commits: setting up the app marks the session as having
    # passed the second factor when it commits, before the session is saved.
    fay = invite_finance_officer(finance, django_capture_on_commit_callbacks)
    client = client_for(None)
    set_password_from_invitation(client)
    sign_in(client, fay.email, PASSWORD)
    # A finance officer is sent to set up an authenticator app, types their password again
    # (allauth asks before a second factor changes), and sets it up.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.url.startswith("/accounts/reauthenticate/")
    assert client.post(response.url, {"password": PASSWORD}).status_code == 302
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    app = Authenticator.objects.get(user=fay, type=Authenticator.Type.TOTP)
    codes = Authenticator.objects.get(user=fay, type=Authenticator.Type.RECOVERY_CODES)
    recovery_codes = RecoveryCodes(codes).get_unused_codes()
    # Using a recovery code changes only what is not kept, so it writes no history.
    history_before = Authenticator.history.count()
    assert RecoveryCodes(codes).validate_code(recovery_codes[0])
    assert Authenticator.history.count() == history_before

    added = trail(finance, record_type="second_factor")
    assert said(added) == [
        (
            "Fay Ledger",
            "Recovery codes for Fay Ledger (fay@council.example)",
            "Created",
            "Added to their sign-in",
        ),
        (
            "Fay Ledger",
            "Authenticator app for Fay Ledger (fay@council.example)",
            "Created",
            "Added to their sign-in",
        ),
        *said(added[2:]),  # the finance officer's own, made by the fixture
    ]
    assert {row["Record type"] for row in added} == {"Second factor"}

    response = client.post("/accounts/2fa/totp/deactivate/", {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=fay).exists()
    removed = trail(finance, record_type="second_factor", action="deleted")
    assert sorted(said(removed)) == [
        (
            "Fay Ledger",
            f"{kind} for Fay Ledger (fay@council.example)",
            "Deleted",
            "Removed from their sign-in",
        )
        for kind in ("Authenticator app", "Recovery codes")
    ]

    # The secret, its stored (encrypted) form and the recovery codes are nowhere in it.
    columns = history_columns("partnership_historicalauthenticator")
    assert {"user_id", "type", "created_at"} <= columns
    assert {"data", "last_used_at"} & columns == set()
    cells = " ".join(history_cells("partnership_historicalauthenticator"))
    for secret_value in (secret, app.data["secret"], codes.data["seed"], *recovery_codes):
        assert secret_value not in cells


def test_signing_in_with_the_second_factor_writes_no_history(
    client_for, finance_officer, partnership_record
):
    before = Authenticator.history.count()
    client = client_for(None)
    sign_in(client, finance_officer.email, "correct-horse-battery")
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_totp_code(finance_officer)}
    )
    assert response.status_code == 302
    assert Authenticator.objects.get(user=finance_officer).last_used_at is not None
    assert Authenticator.history.count() == before


# --- School contacts ----------------------------------------------------------------------


def test_a_school_contact_invited_and_removed_is_in_the_trail(
    finance, client_for, coordinator, superuser, school_a
):
    response = client_for(coordinator).post(
        reverse("schools:invite_contact", args=[school_a.urn]),
        {
            "first_name": "Bea",
            "last_name": "Bursar",
            "email": "bursar@alpha.sch.uk",
            "role": "business_manager",
            "duties": ["finance"],
        },
    )
    assert response.status_code == 302
    contact = SchoolContact.objects.get(user__email="bursar@alpha.sch.uk")
    record = "Bea Bursar (bursar@alpha.sch.uk) for Alpha Primary School"
    assert said(trail(finance, record_type="school_contact", search="bursar")) == [
        (str(coordinator), record, "Created", "Acts for the school as School business manager")
    ]
    assert said(trail(finance, record_type="user", search="bursar")) == [
        (
            str(coordinator),
            "Bea Bursar (bursar@alpha.sch.uk)",
            "Created",
            "Role: Headteacher or school business manager",
        )
    ]

    response = client_for(superuser).post(
        f"/admin/schools/schoolcontact/{contact.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    latest = trail(finance, record_type="school_contact", search="bursar")[0]
    assert (latest["Who"], latest["Record"], latest["Action"]) == ("Sue Admin", record, "Deleted")


# --- The partnership file: settings, tiers, fee schemes, offer prices ----------------------


def test_the_partnership_file_changing_settings_tiers_fees_and_prices_is_in_the_trail(finance):
    document = yaml.safe_load(HILLINGDON.read_text())
    load_text(yaml.safe_dump(document))
    document["partnership"].update(vat_rate="20", payment_terms_days=14)
    basic = document["tiers"][0]
    assert basic["code"] == "basic"
    basic["name"] = "Basic"
    basic["fee"]["per_pupil"] = "2.75"
    peer_review = next(offer for offer in document["offers"] if offer["code"] == "peer-review")
    peer_review["price"]["member"]["primary"] = "1100"
    load_text(yaml.safe_dump(document))

    def changed(record_type):
        return said(trail(finance, record_type=record_type, action="changed"))

    file = "Partnership file"
    assert changed("partnership") == [
        (
            file,
            "Hillingdon Schools' Improvement Partnership",
            "Changed",
            "Default VAT rate (%): 0 → 20; Payment terms (days): 30 → 14",
        )
    ]
    assert changed("tier") == [(file, "Basic", "Changed", "Name: Basic membership → Basic")]
    assert changed("fee_scheme") == [
        (file, "Basic 2026/27", "Changed", "Rate per pupil: £2.50 → £2.75")
    ]
    assert changed("offer_price") == [
        (
            file,
            "Peer review: member price for primary",
            "Changed",
            "Amount: £1,000.00 → £1,100.00",
        )
    ]
    # What each was when the file first made it.
    created = {
        row["Record"]: row["What changed"]
        for kind in ("fee_scheme", "partnership", "offer_price")
        for row in trail(finance, record_type=kind, action="created")
    }
    assert created["Basic 2026/27"] == (
        "Per pupil: £2.50 a pupil, at least £500.00, at most £3,000.00"
    )
    assert created["Standard membership 2026/27"].startswith(
        "By school category: Nursery £1,200.00, Primary £2,800.00"
    )
    assert created["Hillingdon Schools' Improvement Partnership"] == (
        "A trading account inside the council; VAT 0%; payment terms 30 days"
    )
    assert created["Peer review: non-member price for secondary"] == "£1,900.00"
    assert {row["Who"] for row in trail(finance, record_type="offer_price")} == {file}
    # The settings' entry opens the settings page for finance.
    page = finance.get(AUDIT, {"record_type": "partnership"}).content.decode()
    assert f'href="{reverse("partnership_settings")}"' in page
    assert finance.get(reverse("partnership_settings")).status_code == 200


def test_a_price_typed_into_the_offer_form_is_one_change(finance, client_for, coordinator):
    load_text(HILLINGDON.read_text())
    offer = Offer.objects.get(code="adviser-visit")
    response = client_for(coordinator).post(
        reverse("offers:manage_offer_edit", args=[offer.code]),
        {
            "code": offer.code,
            "name": offer.name,
            "description": offer.description,
            "strand": offer.strand,
            "provider": offer.provider_id,
            "unit": offer.unit,
            "active": "on",
            "member__all": "475",  # was 450
            "non_member__all": "600",
            "unit_cost__all": "400",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert said(trail(finance, record_type="offer_price", action="changed")) == [
        (
            str(coordinator),
            "Extra adviser visit: member price for all schools",
            "Changed",
            "Amount: £450.00 → £475.00",
        )
    ]
    # The prices left as they were are neither removed nor added again.
    assert trail(finance, record_type="offer_price", action="deleted") == []
    assert {row["Who"] for row in trail(finance, record_type="offer_price", action="created")} == {
        "Partnership file"
    }


# --- Practitioners ------------------------------------------------------------------------


def test_a_practitioners_day_cost_changed_on_their_page_is_in_the_trail(
    finance, client_for, coordinator
):
    sam = make_practitioner("Sam Lee", day_cost="450.00", days_available="10")
    url = reverse("offers:manage_practitioner_edit", args=[sam.pk])
    data = {
        "name": "Sam Lee",
        "designation": Practitioner.Designation.SLE,
        "provider": sam.provider_id,
        "email": "",
        "day_cost": "500.00",
        "days_available": "10",
        "user": "",
    }
    response = client_for(coordinator).post(url, data)  # no longer available for deployment
    assert response.status_code == 302, response.content.decode()[:2000]
    # Saved again as it is: nothing changed, nothing written.
    assert client_for(coordinator).post(url, data).status_code == 302

    assert said(trail(finance, record_type="practitioner")) == [
        (
            str(coordinator),
            "Sam Lee (SLE)",
            "Changed",
            "Day cost: £450.00 → £500.00; Available for deployment: yes → no",
        ),
        ("The portal", "Sam Lee (SLE)", "Created", "Specialist Leader of Education, £450.00 a day"),
    ]


# --- Minutes and decisions ----------------------------------------------------------------


def test_minutes_and_decisions_recorded_on_the_meeting_pages_are_in_the_trail(
    finance, client_for, coordinator
):
    board = Board.objects.create(code="partnership-board", name="Partnership Board")
    meeting = Meeting.objects.create(board=board, title="Autumn board", date=timezone.localdate())
    manager = client_for(coordinator)
    minutes_url = reverse("governance:minutes_edit", args=[meeting.pk])
    assert manager.post(minutes_url, {"text": "The board met."}).status_code == 302
    assert (
        manager.post(minutes_url, {"text": "The board met and agreed the budget.", "publish": "on"})
    ).status_code == 302
    response = manager.post(
        reverse("governance:decision_new", args=[meeting.pk]),
        {"text": "The 2026/27 budget is approved.", "order": "1"},
    )
    assert response.status_code == 302

    published, drafted = trail(finance, record_type="minutes")
    name = f"Minutes of Autumn board ({meeting.date:%d/%m/%Y})"
    assert said([drafted]) == [(str(coordinator), name, "Created", "Draft: The board met.")]
    assert (published["Who"], published["Record"], published["Action"]) == (
        str(coordinator),
        name,
        "Changed",
    )
    assert published["What changed"].startswith(
        "Minutes: The board met. → The board met and agreed the budget.; "
        "Status: Draft → Published; Published: none → "
    )
    assert said(trail(finance, record_type="decision")) == [
        (
            str(coordinator),
            f"Autumn board ({meeting.date:%d/%m/%Y}): The 2026/27 budget is approved.",
            "Created",
            "The 2026/27 budget is approved.",
        )
    ]
    # Published minutes are linked, and open for finance.
    page = finance.get(AUDIT, {"record_type": "minutes"}).content.decode()
    minutes_page = reverse("governance:minutes", args=[meeting.pk])
    assert f'href="{minutes_page}"' in page
    assert finance.get(minutes_page).status_code == 200


# --- The page -------------------------------------------------------------------------------


def test_every_new_kind_of_record_can_be_chosen_by_name(finance):
    page = finance.get(AUDIT).content.decode()
    for key, label in (
        ("user", "User account"),
        ("second_factor", "Second factor"),
        ("school_contact", "School contact"),
        ("partnership", "Partnership settings"),
        ("tier", "Membership tier"),
        ("fee_scheme", "Fee scheme"),
        ("offer_price", "Offer price"),
        ("practitioner", "Practitioner"),
        ("minutes", "Minutes"),
        ("decision", "Decision"),
    ):
        assert f'<option value="{key}">{label}</option>' in page


@pytest.mark.parametrize("who", ["coordinator", "head_a"])
def test_people_and_second_factors_are_not_shown_to_coordinators_or_heads(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(AUDIT, {"record_type": "user"}).status_code == 403
    assert client.get(AUDIT, {"record_type": "second_factor", "_export": "csv"}).status_code == 403


def test_what_a_tier_includes_is_in_the_trail(finance):
    document = yaml.safe_load(HILLINGDON.read_text())
    load_text(yaml.safe_dump(document))
    advanced = next(tier for tier in document["tiers"] if tier["code"] == "advanced")
    advanced["includes"] = [
        {"offer": "peer-review", "units": 2},
        {"offer": "extra-lle-sle-support", "units": 1},
    ]
    load_text(yaml.safe_dump(document))
    kind = "tier_inclusion"
    assert said(trail(finance, record_type=kind, action="changed")) == [
        ("Partnership file", "Advanced membership: Peer review", "Changed", "Units included: 1 → 2")
    ]
    assert said(trail(finance, record_type=kind, action="deleted")) == [
        ("Partnership file", "Advanced membership: Extra adviser visit", "Deleted", "")
    ]
    page = finance.get(AUDIT, {"record_type": kind}).content.decode()
    assert "What a membership tier includes" in page
