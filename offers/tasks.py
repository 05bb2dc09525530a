"""Background work for bookings: thin tasks over the services, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from schools.selectors import cpd_lead_emails, school_user_emails

from .models import Booking

# Long enough that a retried or duplicated task never emails the school twice.
SENT_MARKER_SECONDS = 60 * 60 * 24 * 30


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_place_offered_email(booking_id):
    """Tell the school a waiting-list place is held for it, with the link to answer (once
    per offer of a place; not at all once the offer has been answered or has run out)."""
    from .services_waiting import place_offer_token, when

    booking = (
        Booking.objects.select_related("school", "offer", "session", "booked_by")
        .filter(pk=booking_id, status=Booking.Status.OFFERED, offered_at__isnull=False)
        .first()
    )
    if booking is None:
        return False
    marker = f"offers:place-offered-email:{booking.pk}:{booking.offered_at.isoformat()}"
    if not cache.add(marker, True, SENT_MARKER_SECONDS):
        return False
    recipients = {booking.booked_by.email, *school_user_emails(booking.school)}
    link = settings.PORTAL_URL.rstrip("/") + reverse(
        "offers:place_offer_link", args=[place_offer_token(booking)]
    )
    try:
        send_mail(
            f"A place is offered to you: {booking.offer.name}",
            render_to_string(
                "offers/bookings/email_place_offered.txt",
                {"booking": booking, "link": link, "held_until": when(booking.offer_expires_at)},
            ),
            settings.DEFAULT_FROM_EMAIL,
            sorted(recipients),
        )
    except Exception:
        # Not sent: let a retry send it.
        cache.delete(marker)
        raise
    return True


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_place_passed_on_email(booking_id):
    """Tell the school the place held for it has passed to the next school, its hold having
    run out (once per booking: a booking's hold runs out once)."""
    from .services_waiting import when

    booking = (
        Booking.objects.select_related("school", "offer", "session", "booked_by")
        .filter(pk=booking_id, status=Booking.Status.CANCELLED, offer_expires_at__isnull=False)
        .first()
    )
    if booking is None:
        return False
    marker = f"offers:place-passed-on-email:{booking.pk}"
    if not cache.add(marker, True, SENT_MARKER_SECONDS):
        return False
    recipients = {booking.booked_by.email, *school_user_emails(booking.school)}
    body = (
        f"The place on {booking.offer.name} offered to {booking.school.name} "
        f"(booking {booking.reference}) was held until {when(booking.offer_expires_at)} and "
        "was not accepted, so it has passed to the next school on the waiting list. Your "
        "booking is cancelled free of charge.\n\nIf you still need a place, book again in the "
        "portal: you will join the end of the waiting list if the "
        f"{'session' if booking.session_id else 'offer'} is still full.\n"
    )
    try:
        send_mail(
            f"The place offered has passed on: {booking.offer.name}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            sorted(recipients),
        )
    except Exception:
        cache.delete(marker)
        raise
    return True


@shared_task
def expire_place_offers():
    """Pass on places whose hold has run out (every few minutes, from beat)."""
    from .services_waiting import expire_lapsed_offers

    return expire_lapsed_offers()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_booking_confirmation_email(booking_id, status):
    """Confirm a booking to the person who made it, copying the school's CPD lead (once per
    booking and status: when it is made, and again when the coordinator confirms it)."""
    booking = (
        Booking.objects.select_related("school", "offer", "session", "booked_by")
        .filter(pk=booking_id, status=status)
        .first()
    )
    if booking is None:  # it has moved on (cancelled, say) before the email went
        return False
    marker = f"offers:booking-confirmation-email:{booking.pk}:{status}"
    if not cache.add(marker, True, SENT_MARKER_SECONDS):
        return False
    to = [booking.booked_by.email]
    copied = [email for email in cpd_lead_emails(booking.school) if email not in to]
    message = EmailMessage(
        subject=render_to_string(
            "offers/bookings/email_confirmation_subject.txt", {"booking": booking}
        ).strip(),
        body=render_to_string("offers/bookings/email_confirmation.txt", {"booking": booking}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=copied,
    )
    try:
        message.send()
    except Exception:
        cache.delete(marker)  # not sent: let a retry send it
        raise
    return True


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_certificate_email(place_id):
    """Email a delegate their CPD certificate once it is released (once per place)."""
    from .services_evaluation_links import send_certificate

    marker = f"offers:certificate-email:{place_id}"
    if not cache.add(marker, True, SENT_MARKER_SECONDS):
        return False
    try:
        return send_certificate(place_id)
    except Exception:
        cache.delete(marker)  # not sent: let a retry send it
        raise
