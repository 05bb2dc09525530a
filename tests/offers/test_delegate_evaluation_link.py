"""A delegate without an account evaluates their session from a signed, single-use link
emailed to them, and is emailed their certificate once they attended and evaluated."""

import io
import re
from datetime import time, timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from offers import services_bookings as services
from offers import services_evaluation_links as links
from offers.models import CourseSession, Evaluation
from offers.services_attendance import DEFAULT_QUESTIONS, Delegate

from .booking_factories import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db
ALL_FOURS = {f"q{n}": "4" for n in range(1, len(DEFAULT_QUESTIONS) + 1)}


@pytest.fixture
def today_session(cpd_course, sam):
    """A session that started at midnight today, run by Sam (practitioner_user)."""
    return CourseSession.objects.create(
        offer=cpd_course,
        title="Day 1: leading phonics",
        date=timezone.localdate(),
        start_time=time(0, 0),
        venue="Civic Centre, Uxbridge",
        places=10,
        facilitator=sam,
    )


@pytest.fixture
def marked(client_for, today_session, school_a, head_a, practitioner_user):
    """Alpha's Ann (with an email) present, Ben (no email) present, Cy (email) absent: the
    facilitator saves the register, which emails Ann her link."""
    booking = services.book_places(
        school=school_a,
        session=today_session,
        delegates=[
            Delegate("Ann Ash", "ann@alpha.sch.uk"),
            Delegate("Ben Bell"),
            Delegate("Cy Cole", "cy@alpha.sch.uk"),
        ],
        by=head_a,
    )
    ann, ben, cy = booking.delegates.order_by("pk")
    mail.outbox.clear()
    response = client_for(practitioner_user).post(
        reverse("offers:register", args=[today_session.pk]),
        {f"place-{ann.pk}": "present", f"place-{ben.pk}": "present", f"place-{cy.pk}": "absent"},
    )
    assert response.status_code == 302
    return {"ann": ann, "ben": ben, "cy": cy, "booking": booking}


def _link_in(message) -> str:
    return re.search(r"https?://\S+/offer/evaluate/\S+/", message.body).group(0)


def test_the_register_emails_a_link_to_each_delegate_present_with_an_email(
    client_for, marked, today_session, practitioner_user
):
    assert [m.to for m in mail.outbox] == [["ann@alpha.sch.uk"]]
    message = mail.outbox[0]
    assert message.subject == "Your evaluation of Day 1: leading phonics"
    assert "needs no account" in message.body
    # Saving the register again sends nothing more.
    client_for(practitioner_user).post(
        reverse("offers:register", args=[today_session.pk]),
        {f"place-{p.pk}": "present" for p in (marked["ann"], marked["ben"])}
        | {f"place-{marked['cy'].pk}": "absent"},
    )
    assert len(mail.outbox) == 1


def test_the_delegate_returns_it_without_an_account_and_is_sent_the_certificate(
    client, marked, django_capture_on_commit_callbacks
):
    url = _link_in(mail.outbox[0]).split("testserver", 1)[1]
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    body = page.content.decode()
    assert "Evaluation: Day 1: leading phonics" in body
    assert all(question in body for question in DEFAULT_QUESTIONS)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, ALL_FOURS | {"comments": "Practical and well paced."})
    assert response.status_code == 200
    assert "Evaluation returned" in response.content.decode()
    evaluation = Evaluation.objects.get(place=marked["ann"])
    assert (evaluation.returned_by, evaluation.comments) == (None, "Practical and well paced.")
    assert [r.rating for r in evaluation.ratings.all()] == [4] * len(DEFAULT_QUESTIONS)
    certificate = mail.outbox[-1]
    assert certificate.to == ["ann@alpha.sch.uk"]
    assert certificate.subject == "Your CPD certificate: Day 1: leading phonics"
    (name, content, kind) = certificate.attachments[0]
    assert (name, kind) == (
        f"cpd-certificate-ann-ash-{timezone.localdate():%Y-%m-%d}.pdf",
        "application/pdf",
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Ann Ash" in text and "Day 1: leading phonics" in text


def test_the_link_serves_once(client, marked):
    url = _link_in(mail.outbox[0]).split("testserver", 1)[1]
    client.post(url, ALL_FOURS)
    again = client.get(url)
    assert again.status_code == 410
    assert "already been returned, so this link cannot be used again" in again.content.decode()
    assert client.post(url, {f"q{n}": "1" for n in range(1, 5)}).status_code == 410
    assert [r.rating for r in Evaluation.objects.get(place=marked["ann"]).ratings.all()] == [4] * 4


def test_a_tampered_or_forged_link_opens_nothing(client, marked):
    token = links.token_for(marked["ann"])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # A token for another place, signed with the wrong salt (not by the portal's link).
    forged = signing.dumps({"place": marked["ben"].pk, "who": "x"}, compress=True)
    for bad in (tampered, forged, "nonsense"):
        response = client.post(reverse("offers:delegate_evaluation", args=[bad]), ALL_FOURS)
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_link_for_a_substituted_delegate_opens_nothing(client, marked, head_a):
    url = reverse("offers:delegate_evaluation", args=[links.token_for(marked["ann"])])
    ann = marked["ann"]
    ann.delegate_name, ann.delegate_email = "Ada Ames", "ada@alpha.sch.uk"
    ann.save()
    response = client.get(url)
    assert response.status_code == 404
    assert "the place it was sent for has changed" in response.content.decode()


def test_an_expired_link_opens_nothing(client, marked, monkeypatch):
    token = links.token_for(marked["ann"])
    later = timezone.now() + timedelta(days=links.LINK_DAYS + 1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    response = client.get(reverse("offers:delegate_evaluation", args=[token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_an_absent_delegate_cannot_evaluate(client, marked):
    response = client.get(
        reverse("offers:delegate_evaluation", args=[links.token_for(marked["cy"])])
    )
    assert response.status_code == 403
    assert "Only a delegate marked present" in response.content.decode()


def test_a_missing_rating_is_named_and_nothing_is_returned(client, marked):
    url = reverse("offers:delegate_evaluation", args=[links.token_for(marked["ann"])])
    response = client.post(url, {"q1": "5"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert f"Rate &#x27;{DEFAULT_QUESTIONS[1]}&#x27; from 1 to 5" in body
    assert not Evaluation.objects.exists()
