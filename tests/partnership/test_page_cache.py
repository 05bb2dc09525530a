"""A person's page is kept until the data behind it changes (partnership/page_cache.py).

These tests commit for real (transactional_db), as the portal does: the kept page is filed under
PostgreSQL's snapshot, which only a commit moves on.
"""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse

from finance.models import Job
from finance.services import report_job_progress, start_job
from partnership.roles import Role
from schools.models import School
from tests.conftest import REDIS_DOWN, requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

# A kept page costs the session, the person and the snapshot: no more.
KEPT_PAGE_QUERIES = 3


def seen_twice(client, url):
    """The first view sets the CSRF cookie a browser would hold; the second is kept."""
    client.get(url)
    return client.get(url)


def test_a_page_seen_again_is_kept_until_the_data_changes(
    client_for, coordinator, school_a, django_assert_max_num_queries
):
    client = client_for(coordinator)
    url = reverse("schools:list")
    seen_twice(client, url)

    with django_assert_max_num_queries(KEPT_PAGE_QUERIES):
        kept = client.get(url)
    assert "Alpha Primary School" in kept.content.decode()

    School.objects.filter(pk=school_a.pk).update(name="Alpha Academy")
    fresh = client.get(url).content.decode()

    assert "Alpha Academy" in fresh
    assert "Alpha Primary School" not in fresh


def test_a_page_is_kept_for_one_person_only(client_for, head_a, head_b, school_a, school_b):
    url = reverse("dashboard")
    a_page = seen_twice(client_for(head_a), url).content.decode()
    b_page = seen_twice(client_for(head_b), url).content.decode()

    assert school_a.name in a_page and school_b.name not in a_page
    assert school_b.name in b_page and school_a.name not in b_page


def test_a_person_whose_role_is_taken_away_is_refused_the_page_they_had(client_for, coordinator):
    client = client_for(coordinator)
    url = reverse("schools:list")
    assert seen_twice(client, url).status_code == 200

    type(coordinator).objects.filter(pk=coordinator.pk).update(role=Role.BOARD)

    assert client.get(url).status_code == 403


def test_changes_not_yet_committed_are_shown_from_the_database(client_for, coordinator, school_a):
    client = client_for(coordinator)
    url = reverse("schools:list")
    seen_twice(client, url)

    with transaction.atomic():
        School.objects.filter(pk=school_a.pk).update(name="Alpha Academy")
        page = client.get(url).content.decode()
        transaction.set_rollback(True)

    assert "Alpha Academy" in page


def test_a_message_waiting_to_be_shown_is_shown(client_for, coordinator):
    client = client_for(coordinator)
    url = reverse("schools:list")
    seen_twice(client, url)

    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Contact invited")]
    )

    assert "Contact invited" in client.get(url).content.decode()


def test_a_download_is_never_served_as_a_kept_page(client_for, coordinator, school_a):
    client = client_for(coordinator)
    client.get(reverse("schools:list"))  # the CSRF cookie, as a browser would hold
    url = reverse("schools:list") + "?_export=csv"
    client.get(url)

    again = client.get(url)

    assert again["Content-Type"].startswith("text/csv")
    assert "attachment" in again["Content-Disposition"]
    assert "Alpha Primary School" in again.content.decode()


def test_a_running_job_always_shows_its_latest_progress(client_for, finance_officer):
    job = start_job(kind=Job.Kind.ANNUAL_MEMBERSHIP_RUN, parameter="2026/27")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    client = client_for(finance_officer)
    url = reverse("finance:job", args=[job.pk])
    report_job_progress(job.pk, 150, 600, "150 of 600 memberships done")
    assert "150 of 600 memberships done" in seen_twice(client, url).content.decode()

    # Progress is in Redis, not the database: the snapshot has not moved.
    report_job_progress(job.pk, 450, 600, "450 of 600 memberships done")
    page = client.get(url)

    assert "450 of 600 memberships done" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_a_form_posted_from_a_kept_page_is_accepted(coordinator, school_a):
    """The kept page carries a CSRF token for this person's cookie, so its forms still work."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("schools:list")
    seen_twice(client, url)
    kept = client.get(url).content.decode()
    token = kept.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302


@override_settings(CACHES=REDIS_DOWN)
def test_with_redis_down_pages_are_built_each_time(client_for, coordinator, school_a):
    client = client_for(coordinator)
    url = reverse("schools:list")
    assert seen_twice(client, url).status_code == 200

    School.objects.filter(pk=school_a.pk).update(name="Alpha Academy")

    assert "Alpha Academy" in client.get(url).content.decode()
