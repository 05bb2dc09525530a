"""The agreed objectives of brokered support and, at review, how far each was met.

When support is brokered (a booking a practitioner is deployed to, or a package the LA
commissions) the coordinator records what the school and the partnership agreed it should
achieve; at review the coordinator or the practitioner deployed records the evidence and a
RAG judgement. These are what the school's record and the board's impact report read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from partnership.history import AuditedRecords

from .bookings import Booking, CommissionedPackage


class SupportObjective(models.Model):
    class Rating(models.TextChoices):
        # Stored as red/amber/green (the board's RAG); shown in words a school recognises.
        RED = "red", "Not met"
        AMBER = "amber", "Partly met"
        GREEN = "green", "Met"

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="objectives"
    )
    package = models.ForeignKey(
        CommissionedPackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objectives",
    )
    objective = models.TextField("objective")
    expected_impact = models.TextField("expected impact")
    agreed_on = models.DateField("agreed on")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField("evidence", blank=True)
    rating = models.CharField("judgement", max_length=5, choices=Rating.choices, blank=True)
    reviewed_on = models.DateField("reviewed on", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = AuditedRecords()

    class Meta:
        ordering = ["agreed_on", "pk"]
        constraints = [
            # Exactly one of booking and package, as a deployment: one piece of work.
            models.CheckConstraint(
                condition=(Q(booking__isnull=False) & Q(package__isnull=True))
                | (Q(booking__isnull=True) & Q(package__isnull=False)),
                name="objective_for_booking_or_package",
            ),
            # A judgement comes with its review date and reviewer, or none of them.
            models.CheckConstraint(
                condition=(Q(rating="") & Q(reviewed_on__isnull=True))
                | (~Q(rating="") & Q(reviewed_on__isnull=False) & Q(reviewed_by__isnull=False)),
                name="objective_review_complete",
            ),
        ]

    def __str__(self):
        return self.objective[:80]

    @property
    def work(self):
        return self.booking if self.booking_id else self.package

    @property
    def reviewed(self) -> bool:
        return bool(self.rating)
