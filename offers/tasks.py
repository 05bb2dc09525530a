"""Background work for bookings: thin tasks over the services, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import Booking

# Long enough that a retried or duplicated task never emails the school twice.
SENT_MARKER_SECONDS = 60 * 60 * 24 * 30


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_place_offered_email(booking_id):
    """Tell the school a waiting-list place is now theirs (once per offer of a place)."""
    booking = (
        Booking.objects.select_related("school", "offer", "session", "booked_by")
        .filter(pk=booking_id, offered_at__isnull=False)
        .first()
    )
    if booking is None:
        return False
    marker = f"offers:place-offered-email:{booking.pk}:{booking.offered_at.isoformat()}"
    if not cache.add(marker, True, SENT_MARKER_SECONDS):
        return False
    recipients = {booking.booked_by.email}
    recipients.update(booking.school.contacts.values_list("user__email", flat=True))
    try:
        send_mail(
            f"A place is now yours: {booking.offer.name}",
            render_to_string("offers/bookings/email_place_offered.txt", {"booking": booking}),
            settings.DEFAULT_FROM_EMAIL,
            sorted(recipients),
        )
    except Exception:
        # Not sent: let a retry send it.
        cache.delete(marker)
        raise
    return True
