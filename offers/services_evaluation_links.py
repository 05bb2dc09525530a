"""A delegate without a portal account evaluates their session from a link emailed to them.

The link carries a signed token naming the place and a digest of the delegate's name and
email as they were when it was sent: a tampered token, an expired one, or one sent to a
delegate since substituted, opens nothing. It serves once: the evaluation it returns is
the place's only one (`Evaluation.place` is one-to-one), so a second use is refused. The
certificate is released (emailed to the delegate) once they attended and evaluated.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from partnership.models import ReminderSent

from . import services_attendance as attendance
from .models import DelegatePlace
from .tasks import send_certificate_email

SALT = "offers.delegate-evaluation"
# ASSUMPTION: evaluations are asked for within three weeks (reminders.EVALUATION_WITHIN_DAYS);
# a link is good for twice that, then the school returns it for the delegate.
LINK_DAYS = 42
LINK_SENT = "evaluation_link"  # ReminderSent kind: each place's link is emailed once


class LinkRefused(Exception):
    """Why a link opens nothing, in words for the person who followed it, and the page's
    status: 404 for a link the portal never made, 410 for one used or expired, 403 for a
    delegate who may not evaluate."""

    def __init__(self, message, status=404):
        super().__init__(message)
        self.status = status


def _digest(place) -> str:
    who = f"{place.delegate_name.strip().casefold()}|{place.delegate_email.strip().casefold()}"
    return hashlib.sha256(who.encode()).hexdigest()[:16]


def token_for(place) -> str:
    return signing.dumps({"place": place.pk, "who": _digest(place)}, salt=SALT, compress=True)


def link_for(place, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("offers:delegate_evaluation", args=[token_for(place)])


def place_for_token(token: str, *, for_returning: bool = True) -> DelegatePlace:
    """The place a link is for, or LinkRefused saying why not."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise LinkRefused(
            "This link has expired. Ask your school to return the evaluation for you.", 410
        ) from None
    except signing.BadSignature:
        raise LinkRefused("This link is not valid. Check it was copied in full.") from None
    place = (
        DelegatePlace.objects.select_related("session__offer", "booking__school")
        .filter(pk=data.get("place"))
        .first()
    )
    if place is None or _digest(place) != data.get("who"):
        raise LinkRefused("This link is not valid: the place it was sent for has changed.")
    if for_returning and attendance.has_evaluation(place):
        raise LinkRefused(
            "This evaluation has already been returned, so this link cannot be used again. "
            "Your certificate was emailed to you.",
            410,
        )
    if place.attendance != DelegatePlace.Attendance.PRESENT:
        raise LinkRefused(
            "Only a delegate marked present on the register evaluates the session.", 403
        )
    return place


def return_evaluation_from_link(*, token: str, ratings: dict, comments: str = ""):
    """Return the evaluation a link is for (once), then release the certificate by email."""
    with transaction.atomic():
        place = place_for_token(token)
        evaluation = attendance.return_evaluation(place=place, ratings=ratings, comments=comments)
        transaction.on_commit(lambda: send_certificate_email.delay(place.pk))
    return evaluation


def send_evaluation_links(*, session, base_url: str) -> int:
    """Email each delegate marked present, with an email and no evaluation yet, their link:
    once per place and address, however often the register is saved. Returns how many."""
    places = DelegatePlace.objects.filter(
        session=session,
        attendance=DelegatePlace.Attendance.PRESENT,
        evaluation__isnull=True,
    ).exclude(delegate_email="")
    sent = 0
    for place in places.select_related("session__offer", "booking__school"):
        email = place.delegate_email.strip().lower()
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    kind=LINK_SENT, about=f"evaluation:{place.pk}", email=email
                )
                EmailMessage(
                    subject=f"Your evaluation of {place.session.name}",
                    body=render_to_string(
                        "offers/cpd/email_evaluation_link.txt",
                        {"place": place, "link": link_for(place, base_url), "days": LINK_DAYS},
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[email],
                ).send()
        except IntegrityError:
            continue  # already sent to this address
        sent += 1
    return sent


def certificate_pdf(place) -> bytes:
    from partnership.models import Partnership
    from partnership.pdf import html_to_pdf

    html = render_to_string(
        "offers/cpd/certificate.html",
        {"place": place, "session": place.session, "partnership": Partnership.current()},
    )
    return html_to_pdf(html)


def certificate_filename(place) -> str:
    return slugify(f"cpd-certificate-{place.delegate_name}-{place.session.date:%Y-%m-%d}") + ".pdf"


def send_certificate(place_id) -> bool:
    """Email the delegate their certificate, once it is released (attended and evaluated)."""
    place = (
        DelegatePlace.objects.select_related("session__offer", "booking__school")
        .filter(pk=place_id)
        .first()
    )
    if place is None or not place.delegate_email or not attendance.certificate_released(place):
        return False
    message = EmailMessage(
        subject=f"Your CPD certificate: {place.session.name}",
        body=render_to_string("offers/cpd/email_certificate.txt", {"place": place}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[place.delegate_email],
    )
    message.attach(certificate_filename(place), certificate_pdf(place), "application/pdf")
    message.send()
    return True
