"""Requests for access: someone from a school asks for an account on the public page; a
coordinator approves (an account acting for the school, and the invitation) or declines
(with a reason, emailed). Services first, then the pages."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from partnership.models import User
from partnership.privacy import ACCESS_REQUESTS, apply_retention_rules
from partnership.roles import Role
from schools import services_access as services
from schools.models import AccessRequest, SchoolContact
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST_ACCESS = reverse("request_access")
QUEUE = reverse("schools:access_requests")


@pytest.fixture(autouse=True)
def _empty_cache():
    # The per-address limit and the "already told" markers live in the default cache (the
    # database's: the test's transaction takes them away again).
    cache.clear()


def ask(school, email="jo.bloggs@alpha.sch.uk", role="business_manager", **extra):
    return services.request_access(
        first_name="Jo",
        last_name="Bloggs",
        email=email,
        school=school,
        role_at_school=role,
        **extra,
    )


def the_request(school, **fields):
    defaults = dict(
        first_name="Jo",
        last_name="Bloggs",
        email="jo.bloggs@alpha.sch.uk",
        role_at_school=AccessRequest.RoleAtSchool.HEADTEACHER,
    )
    return AccessRequest.objects.create(school=school, **{**defaults, **fields})


def form_data(**overrides):
    return {
        "first_name": "Jo",
        "last_name": "Bloggs",
        "role_at_school": "business_manager",
        "other_role": "",
        "email": "Jo.Bloggs@Alpha.sch.uk",
        "website": "",
        **overrides,
    }


# Services


def test_a_request_is_kept_and_the_person_is_told_it_arrived(
    school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ask(school_a, email=" Jo.Bloggs@Alpha.SCH.uk ")
    request = outcome.access_request
    assert outcome.already == ""
    assert (request.email, request.status, request.school) == (
        "jo.bloggs@alpha.sch.uk",
        "pending",
        school_a,
    )
    assert request.role_in_words == "School business manager"
    assert [message.to for message in mail.outbox] == [["jo.bloggs@alpha.sch.uk"]]
    assert "Alpha Primary School" in mail.outbox[0].body
    assert "check your request" in mail.outbox[0].body


def test_other_role_is_kept_only_for_other(school_a):
    assert ask(school_a, role="other", other_role=" Deputy head ").access_request.role_in_words == (
        "Deputy head"
    )
    assert (
        ask(
            school_a, email="b@alpha.sch.uk", role="cpd_lead", other_role="x"
        ).access_request.other_role
        == ""
    )


def test_an_address_with_an_account_makes_no_request_and_is_told_to_sign_in(
    school_a, head_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ask(school_a, email=head_a.email.upper(), sign_in_url="https://portal/login/")
    assert outcome == services.RequestOutcome(None, "account")
    assert not AccessRequest.objects.exists()
    assert [message.to for message in mail.outbox] == [[head_a.email]]
    assert "already has an account" in mail.outbox[0].body
    assert "https://portal/login/" in mail.outbox[0].body


def test_a_second_request_from_the_same_address_is_not_kept(
    school_a, school_b, django_capture_on_commit_callbacks
):
    first = ask(school_a).access_request
    with django_capture_on_commit_callbacks(execute=True):
        outcome = ask(school_b, email="JO.BLOGGS@alpha.sch.uk")
    assert outcome == services.RequestOutcome(None, "pending")
    assert list(AccessRequest.objects.all()) == [first]
    assert "already waiting" in mail.outbox[-1].body


def test_the_already_known_email_goes_at_most_once_an_hour(
    school_a, head_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ask(school_a, email=head_a.email)
    assert len(mail.outbox) == 1


def test_the_database_keeps_one_pending_request_per_address(school_a):
    the_request(school_a, email="jo@alpha.sch.uk")
    with pytest.raises(IntegrityError), transaction.atomic():
        the_request(school_a, email="JO@alpha.sch.uk")


def test_after_a_decline_the_address_may_ask_again(school_a, coordinator):
    services.decline_access_request(the_request(school_a), by=coordinator, reason="Not known")
    assert ask(school_a).access_request is not None


def test_approving_makes_a_school_user_and_sends_the_invitation(
    school_a, coordinator, django_capture_on_commit_callbacks
):
    request = ask(school_a, role="chair_of_governors").access_request
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.approve_access_request(request, by=coordinator)
    user = User.objects.get(email="jo.bloggs@alpha.sch.uk")
    assert (user.role, user.first_name, user.last_name, user.has_usable_password()) == (
        Role.HEADTEACHER,
        "Jo",
        "Bloggs",
        False,
    )
    contact = SchoolContact.objects.get(user=user)
    assert (contact.school, contact.position) == (school_a, "Chair of governors")
    assert (approved.status, approved.decided_by, approved.user) == (
        "approved",
        coordinator,
        user,
    )
    assert approved.decided_at is not None
    assert [message.to for message in mail.outbox] == [["jo.bloggs@alpha.sch.uk"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_decided_request_cannot_be_decided_again(school_a, coordinator):
    request = the_request(school_a)
    services.approve_access_request(request, by=coordinator)
    with pytest.raises(services.AccessRequestError, match="already approved"):
        services.approve_access_request(request, by=coordinator)
    with pytest.raises(services.AccessRequestError, match="already approved"):
        services.decline_access_request(request, by=coordinator, reason="Changed my mind")
    assert User.objects.filter(email=request.email).count() == 1


def test_approving_an_address_that_has_an_account_by_now_changes_nothing(
    school_a, coordinator, head_b
):
    request = the_request(school_a, email=head_b.email)
    with pytest.raises(services.AccessRequestError, match="already has an account"):
        services.approve_access_request(request, by=coordinator)
    request.refresh_from_db()
    assert request.status == "pending"
    assert not SchoolContact.objects.filter(school=school_a, user=head_b).exists()


def test_declining_needs_a_reason_and_emails_it_politely(
    school_a, coordinator, django_capture_on_commit_callbacks
):
    request = the_request(school_a)
    with pytest.raises(services.AccessRequestError, match="Enter the reason"):
        services.decline_access_request(request, by=coordinator, reason="  ")
    request.refresh_from_db()
    assert request.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.decline_access_request(
            request, by=coordinator, reason="We could not confirm you work at the school."
        )
    assert (declined.status, declined.decided_by, declined.user) == ("declined", coordinator, None)
    assert not User.objects.filter(email=request.email).exists()
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["jo.bloggs@alpha.sch.uk"]
    assert "Dear Jo" in body and "We are sorry" in body
    assert "We could not confirm you work at the school." in body


def test_the_database_refuses_a_decline_without_a_reason(school_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        the_request(school_a, status="declined")


# The public page


def test_the_page_first_finds_the_school_and_a_urn_goes_straight_to_it(client, school_a):
    response = client.get(REQUEST_ACCESS)
    assert response.status_code == 200
    assert "Find your school" in response.content.decode()
    found = client.get(REQUEST_ACCESS, {"q": "alpha"})
    assert f"{REQUEST_ACCESS}?urn={school_a.urn}" in found.content.decode()
    by_urn = client.get(REQUEST_ACCESS, {"q": school_a.urn})
    assert by_urn.status_code == 302 and by_urn.url == f"{REQUEST_ACCESS}?urn={school_a.urn}"


def test_an_unknown_urn_says_so(client, school_a):
    response = client.get(REQUEST_ACCESS, {"urn": "999999"})
    assert response.status_code == 404
    assert "There is no open school with URN 999999" in response.content.decode()


def test_a_request_from_the_page_is_kept_and_says_we_have_emailed_you(
    client, school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data())
    assert response.status_code == 302 and response.url == reverse("request_access_sent")
    request = AccessRequest.objects.get()
    assert (request.email, request.school, request.role_at_school) == (
        "jo.bloggs@alpha.sch.uk",
        school_a,
        "business_manager",
    )
    assert "We have emailed you" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1


def test_every_missing_answer_is_named_and_nothing_is_kept(client, school_a):
    response = client.post(
        f"{REQUEST_ACCESS}?urn={school_a.urn}",
        {"first_name": "", "last_name": "", "email": "not-an-email", "role_at_school": "other"},
    )
    page = response.content.decode()
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("id_first_name", "Enter your first name"),
        ("id_last_name", "Enter your last name"),
        ("id_other_role", "Enter your role at the school"),
        ("id_email", "Enter your work email address in the right format, like name@school.sch.uk"),
    ]
    assert "<title>Error: " in page
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def test_a_missing_role_is_named(client, school_a):
    response = client.post(f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data(role_at_school=""))
    assert '<a href="#id_role_at_school">Select your role at the school</a>' in (
        response.content.decode()
    )
    assert not AccessRequest.objects.exists()


def test_an_address_with_an_account_sees_the_same_page_as_anyone(
    client, school_a, head_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data(email=head_a.email)
        )
    assert response.status_code == 302 and response.url == reverse("request_access_sent")
    assert not AccessRequest.objects.exists()
    assert "already has an account" in mail.outbox[0].body


def test_a_filled_in_hidden_field_keeps_nothing_and_sends_nothing(
    client, school_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data(website="http://spam.example")
        )
    assert response.status_code == 302
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def test_too_many_requests_from_one_address_are_refused(client, school_a):
    for number in range(services.REQUESTS_PER_ADDRESS_PER_HOUR):
        response = client.post(
            f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data(email=f"p{number}@alpha.sch.uk")
        )
        assert response.status_code == 302
    response = client.post(
        f"{REQUEST_ACCESS}?urn={school_a.urn}", form_data(email="one.more@alpha.sch.uk")
    )
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert AccessRequest.objects.count() == services.REQUESTS_PER_ADDRESS_PER_HOUR
    assert not AccessRequest.objects.filter(email="one.more@alpha.sch.uk").exists()


def test_someone_signed_in_goes_to_their_dashboard(client_for, head_a):
    response = client_for(head_a).get(REQUEST_ACCESS)
    assert response.status_code == 302 and response.url == reverse("dashboard")


@pytest.mark.parametrize("url", ["/", "/join/", "/accounts/login/", "/accounts/signup/"])
def test_request_access_is_linked_and_the_closed_sign_up_page_never_is(client, url):
    page = client.get(url).content.decode()
    assert f'href="{REQUEST_ACCESS}"' in page
    assert 'href="/accounts/signup/"' not in page


def test_the_fee_calculator_links_to_request_access_for_the_school(client, school_a):
    page = client.get(reverse("fees"), {"urn": school_a.urn}).content.decode()
    assert f'href="{REQUEST_ACCESS}?urn={school_a.urn}"' in page


# The coordinator's queue


def test_the_queue_lists_requests_filters_by_status_and_exports_csv(
    client_for, coordinator, school_a, school_b, django_assert_max_num_queries
):
    the_request(school_a, email="a@alpha.sch.uk", first_name="Ann")
    services.decline_access_request(
        the_request(school_b, email="b@beta.sch.uk", first_name="Bea"),
        by=coordinator,
        reason="Not at the school",
    )
    for number in range(20):
        the_request(SchoolFactory(), email=f"p{number}@example.org")
    client = client_for(coordinator)
    client.get(QUEUE)  # the session and menu warm up
    with django_assert_max_num_queries(14):
        page = client.get(QUEUE).content.decode()
    assert "Ann Bloggs" in page and "Bea Bloggs" in page
    pending = client.get(QUEUE, {"status": "pending"}).content.decode()
    assert "Ann Bloggs" in pending and "Bea Bloggs" not in pending
    csv = client.get(QUEUE, {"status": "declined", "_export": "csv"}).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Asked on,Name,Email address,School,URN,Role at the school,Status")
    assert len(lines) == 2 and "Bea Bloggs" in lines[1] and "Declined" in lines[1]
    assert "Not at the school" in lines[1] and str(coordinator) in lines[1]


def test_the_queue_is_sorted_by_any_column(client_for, coordinator, school_a):
    the_request(school_a, email="z@alpha.sch.uk", last_name="Zed")
    the_request(school_a, email="a@alpha.sch.uk", last_name="Able")
    page = client_for(coordinator).get(QUEUE, {"sort": "name"}).content.decode()
    assert page.index("Jo Able") < page.index("Jo Zed")
    page = client_for(coordinator).get(QUEUE, {"sort": "-name"}).content.decode()
    assert page.index("Jo Zed") < page.index("Jo Able")


def test_the_coordinator_approves_from_the_request_page(
    client_for, coordinator, school_a, django_capture_on_commit_callbacks
):
    request = the_request(school_a)
    url = reverse("schools:access_request", args=[request.pk])
    page = client_for(coordinator).get(url).content.decode()
    assert "Approve and send invitation" in page and "Alpha Primary School" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(url, {"action": "approve"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.user.email == "jo.bloggs@alpha.sch.uk"
    assert SchoolContact.objects.filter(school=school_a, user=request.user).exists()
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    # Audited: who approved, in the request's history.
    latest = request.history.first()
    assert (latest.status, latest.history_user) == ("approved", coordinator)


def test_declining_without_a_reason_names_it_and_changes_nothing(client_for, coordinator, school_a):
    request = the_request(school_a)
    response = client_for(coordinator).post(
        reverse("schools:access_request", args=[request.pk]), {"action": "decline", "reason": ""}
    )
    assert '<a href="#id_reason">Enter the reason for declining</a>' in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    assert mail.outbox == []


def test_deciding_twice_is_refused_on_the_page(client_for, coordinator, school_a):
    request = the_request(school_a)
    services.decline_access_request(request, by=coordinator, reason="No")
    response = client_for(coordinator).post(
        reverse("schools:access_request", args=[request.pk]), {"action": "approve"}
    )
    assert "This request was already declined" in response.content.decode()
    assert not User.objects.filter(email=request.email).exists()


def test_the_coordinator_dashboard_shows_how_many_wait(client_for, coordinator, school_a):
    the_request(school_a, email="a@alpha.sch.uk")
    the_request(school_a, email="b@alpha.sch.uk")
    page = client_for(coordinator).get(reverse("dashboard")).content.decode()
    assert "Requests for access" in page
    assert f'href="{QUEUE}?status=pending">2<span class="govuk-visually-hidden"> requests' in page


@pytest.mark.parametrize(
    "who, status",
    [
        ("head_a", 403),
        ("finance_officer", 403),
        ("board_member", 403),
        ("practitioner_user", 403),
        ("coordinator", 200),
    ],
)
def test_only_coordinators_see_the_queue_and_its_requests(
    request, client_for, school_a, who, status
):
    access_request = the_request(school_a)
    client = client_for(request.getfixturevalue(who))
    assert client.get(QUEUE).status_code == status
    detail = reverse("schools:access_request", args=[access_request.pk])
    assert client.get(detail).status_code == status
    # The coordinator is taken back to the queue once the request is approved.
    assert client.post(detail, {"action": "approve"}).status_code == (
        302 if status == 200 else status
    )
    access_request.refresh_from_db()
    assert access_request.status == ("approved" if status == 200 else "pending")


def test_a_superuser_of_another_role_may_decide(client_for, school_a):
    superuser = UserFactory(role=Role.FINANCE, is_superuser=True, is_staff=True)
    access_request = the_request(school_a)
    client = client_for(superuser)
    assert client.get(QUEUE).status_code == 200
    response = client.post(
        reverse("schools:access_request", args=[access_request.pk]),
        {"action": "decline", "reason": "Duplicate"},
    )
    assert response.status_code == 302


def test_anonymous_people_are_sent_to_sign_in_for_the_queue(client, school_a):
    access_request = the_request(school_a)
    for url in (QUEUE, reverse("schools:access_request", args=[access_request.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_requests_past_their_retention_period_go_with_their_history(school_a, coordinator):
    today = timezone.localdate()
    cutoff = ACCESS_REQUESTS.cutoff(today)
    old = the_request(school_a, email="old@alpha.sch.uk")
    services.decline_access_request(old, by=coordinator, reason="No")
    waiting = the_request(school_a, email="waiting@alpha.sch.uk")
    recent = the_request(school_a, email="recent@alpha.sch.uk")
    long_ago = timezone.now() - datetime.timedelta(days=367)
    AccessRequest.objects.filter(pk=old.pk).update(decided_at=long_ago)
    AccessRequest.objects.filter(pk=waiting.pk).update(requested_at=long_ago)
    assert apply_retention_rules(today)["access_requests"] == 2
    assert list(AccessRequest.objects.all()) == [recent]
    assert set(AccessRequest.history.values_list("email", flat=True)) == {"recent@alpha.sch.uk"}
    assert services.delete_old_access_requests(before=cutoff) == 0
