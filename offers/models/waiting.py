"""What happened on a waiting list: who joined, was offered a place, accepted, declined or
let the hold run out, and places the coordinator added. Kept as its own rows (never
edited) so the list page can show the whole story in order, cheaply."""

from django.conf import settings
from django.db import models

from .bookings import Booking, CourseSession
from .catalogue import Offer


class WaitingListEvent(models.Model):
    class Kind(models.TextChoices):
        JOINED = "joined", "Joined the waiting list"
        OFFERED = "offered", "Place offered"
        OFFERED_OUT_OF_TURN = "chosen", "Place offered out of turn"
        ACCEPTED = "accepted", "Place accepted"
        DECLINED = "declined", "Place declined"
        EXPIRED = "expired", "Hold expired"
        LEFT = "left", "Left the waiting list"
        PLACES_ADDED = "places", "Places added"

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="waiting_events")
    session = models.ForeignKey(
        CourseSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waiting_events",
    )
    academic_year = models.CharField(max_length=7)
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="waiting_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="The reason for an offer out of turn, and details."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["offer", "academic_year", "session", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.offer}, {self.at:%d/%m/%Y %H:%M})"
