"""Bookings of the additional offer, waiting lists, CPD places, practitioner deployments
and LA-commissioned support for schools causing concern.

Prices, included units, cancellation charges and deployment costs are frozen on the
row when they are decided, so a later change of price list or day rate never changes
what a school was told or what finance charges.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .catalogue import Offer, Practitioner


class OfferCancellationPolicy(models.Model):
    """Free cancellation until N days before the first date, then a percentage of the charge."""

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, related_name="cancellation_policy"
    )
    free_until_days = models.PositiveIntegerField(
        "free until (days before the first date)", default=14
    )
    charge_percent = models.DecimalField(
        "charge after that (% of the booking's charge)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
    )
    # South Gloucestershire charges £50 a session for a no-show even on a free course:
    # a place the school did not pay for is charged this, not a percentage of nothing.
    no_show_charge = models.DecimalField(
        "charge for a no-show or late cancellation of a free place (£ per delegate)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
    )

    class Meta:
        verbose_name_plural = "offer cancellation policies"

    def __str__(self):
        return (
            f"{self.offer}: free until {self.free_until_days} days before, "
            f"then {self.charge_percent}%"
        )

    @property
    def summary(self):
        percent = f"{self.charge_percent.normalize():f}"
        text = (
            f"Free to cancel until {self.free_until_days} days before the first date; "
            f"after that, {percent}% of the booking's charge."
        )
        if self.no_show_charge:
            text += (
                f" A delegate who does not come, or cancels on the day, on a place that costs "
                f"nothing is charged £{self.no_show_charge:,.2f}."
            )
        return text


class CourseSession(models.Model):
    """A dated session of a CPD course (an offer sold by the place), held at a venue or online."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example, Day 1: leading early reading. Left blank, the course's name.",
    )
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("online joining link", max_length=500, blank=True)
    places = models.PositiveIntegerField()
    facilitator = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_facilitated",
        help_text="The practitioner who runs the session and may take its register.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_link=""), name="session_venue_or_link"
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.date:%d/%m/%Y} at {self.start_time:%H:%M}, {self.where}"

    @property
    def name(self) -> str:
        return self.title or self.offer.name

    @property
    def where(self) -> str:
        return self.venue or "Online"

    def starts_at(self):
        """When the session starts, in the portal's time zone: names can change until then."""
        from datetime import datetime

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(self.date, self.start_time))


class Booking(models.Model):
    """A school's booking of additional support, priced when it was made."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Place offered"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    # Statuses that hold capacity: a place is taken until it is cancelled. A place offered
    # from the waiting list is held for that school until it accepts, declines or the hold
    # runs out, so nobody else can book it meanwhile.
    HOLDING = (Status.REQUESTED, Status.OFFERED, Status.CONFIRMED, Status.DELIVERED)
    # Statuses with a place the school has: what registers, calendars and reminders list.
    HAS_PLACE = (Status.REQUESTED, Status.CONFIRMED, Status.DELIVERED)

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="bookings")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(
        CourseSession, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    academic_year = models.CharField(max_length=7)
    units = models.DecimalField(max_digits=6, decimal_places=1)
    included_units = models.DecimalField(
        "units included in the membership", max_digits=6, decimal_places=1, default=Decimal("0")
    )
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    is_member = models.BooleanField()
    tier_name = models.CharField(max_length=200, blank=True)
    purchase_order = models.CharField("purchase order number", max_length=50, blank=True)
    preferred_start = models.DateField("preferred first date", null=True, blank=True)
    preferred_dates = models.CharField("preferred dates or term", max_length=200, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    waiting_position = models.PositiveIntegerField(null=True, blank=True)
    offered_at = models.DateTimeField("place offered from the waiting list", null=True, blank=True)
    offer_expires_at = models.DateTimeField("place held until", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_charge = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_made"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The booking list opens newest first over every school's bookings.
            models.Index(fields=["-created", "-id"], name="booking_newest_first"),
            # Demand and take-up are summed over one academic year's bookings.
            models.Index(fields=["academic_year", "status"], name="booking_year_status"),
            models.Index(fields=["offer", "academic_year", "status"]),
            models.Index(fields=["school", "academic_year"]),
            models.Index(fields=["status", "delivered_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="booking_units_positive"),
            models.CheckConstraint(
                condition=Q(included_units__gte=0) & Q(included_units__lte=models.F("units")),
                name="booking_included_within_units",
            ),
        ]

    def __str__(self):
        return f"{self.offer} for {self.school.name} ({self.units} {self.offer.unit})"

    @property
    def reference(self):
        return f"B{self.pk:05d}"

    @property
    def charged_units(self) -> Decimal:
        return self.units - self.included_units

    @property
    def charge_now(self) -> Decimal:
        """What the booking costs the school as it stands (a cancelled one: its charge)."""
        from ..rules_bookings import charge_as_it_stands

        return charge_as_it_stands(
            cancelled=self.status == self.Status.CANCELLED,
            units=self.units,
            included_units=self.included_units,
            unit_price=self.unit_price,
            cancellation_charge=self.cancellation_charge,
        )


class DelegatePlace(models.Model):
    """A place on a CPD session booked by a school, for a delegate it may name later.

    The register marks each place present, absent or cancelled late; what a missed place
    costs under the offer's cancellation policy is frozen on it when the register is taken.
    """

    class Attendance(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        LATE_CANCELLATION = "late", "Late cancellation"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="delegates")
    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, related_name="delegates")
    delegate_name = models.CharField(max_length=200, blank=True)
    delegate_email = models.EmailField(blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)
    attendance_charge = models.DecimalField(
        "charge for not attending", max_digits=10, decimal_places=2, null=True, blank=True
    )
    # True when the place's own price is no longer charged on the booking's line because
    # the late cancellation's charge (a percentage of it) is charged instead.
    place_charge_replaced = models.BooleanField(default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    # No history table: delegates' names are removed after the retention period
    # (anonymise_delegates), and a history would keep them.

    class Meta:
        ordering = ["booking", "pk"]

    def __str__(self):
        return f"{self.delegate_name or 'Unnamed delegate'} at {self.session}"

    @property
    def named(self) -> bool:
        return bool(self.delegate_name)


class CommissionedPackage(models.Model):
    """Support the LA commissions for a school and pays for, at the offer's LA price.

    Any offer, for any school: a school causing concern, or for another reason (NQT
    induction, early years); the reason is recorded. Invoiced to the LA once delivered.
    """

    class Status(models.TextChoices):
        COMMISSIONED = "commissioned", "Commissioned"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="commissioned_packages"
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="commissioned_packages")
    academic_year = models.CharField(max_length=7)
    units = models.DecimalField(max_digits=6, decimal_places=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    budget = models.DecimalField("LA budget", max_digits=10, decimal_places=2)
    reason = models.CharField(
        "why the LA commissions it",
        max_length=300,
        help_text="For example, Ofsted: requires improvement.",
    )
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.COMMISSIONED)
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="packages_commissioned"
    )
    delivered_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="package_units_positive"),
        ]

    def __str__(self):
        return f"{self.offer} for {self.school.name} (commissioned by the LA)"

    @property
    def reference(self):
        return f"C{self.pk:05d}"


class Deployment(models.Model):
    """A practitioner's days with a school, for a booking or a commissioned package."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="deployments"
    )
    package = models.ForeignKey(
        CommissionedPackage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployments",
    )
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="deployments"
    )
    academic_year = models.CharField(max_length=7)
    days = models.DecimalField(max_digits=4, decimal_places=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    delivered_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cost = models.DecimalField(
        "cost to the partnership at delivery",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Frozen at delivery for a practitioner released by their home school: the school
    # then, the designation's day rate and the home school's share of it, and what that
    # school is paid. The cost above is then that payment, recorded by the monthly run
    # as a practitioner payment rather than as a deployment cost.
    home_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practitioner_deployments_paid",
    )
    day_rate = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    home_school_percent = models.DecimalField(
        "home school's share (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    home_school_payment = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deployments_made"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["practitioner", "academic_year", "status"])]
        constraints = [
            # Exactly one of booking and package: a deployment serves one piece of work.
            models.CheckConstraint(
                condition=(Q(booking__isnull=False) & Q(package__isnull=True))
                | (Q(booking__isnull=True) & Q(package__isnull=False)),
                name="deployment_for_booking_or_package",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="deployment_days_positive"),
        ]

    def __str__(self):
        return f"{self.practitioner.name}: {self.days} days at {self.school.name}"

    @property
    def work(self):
        return self.booking if self.booking_id else self.package

    @property
    def school(self):
        return self.work.school

    @property
    def offer(self):
        return self.work.offer

    @property
    def commissioned(self) -> bool:
        return self.package_id is not None


class DeploymentDay(models.Model):
    """A date a practitioner is deployed; a practitioner is in one school a day."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="dates")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    # Cancelled deployments keep their dates for the record but free the practitioner.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "date"],
                condition=Q(active=True),
                name="one_deployment_per_practitioner_day",
            )
        ]

    def __str__(self):
        return f"{self.practitioner_id} on {self.date:%d/%m/%Y}"
