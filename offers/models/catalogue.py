from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from partnership.history import AuditedRecords
from schools.rules import Category


class Provider(models.Model):
    """Who delivers part of the offer: the LA team, a heads' forum, an LLE/SLE network."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Practitioner(models.Model):
    """An expert deployed to schools by the day (LLE, SLE, NLE, adviser)."""

    class Designation(models.TextChoices):
        LLE = "LLE", "Local Leader of Education"
        SLE = "SLE", "Specialist Leader of Education"
        NLE = "NLE", "National Leader of Education"
        ADVISER = "adviser", "Adviser"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    designation = models.CharField(max_length=10, choices=Designation.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="practitioners")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practitioner",
        help_text="The portal account the practitioner signs in with, if any.",
    )
    email = models.EmailField(blank=True)
    home_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practitioners",
        help_text=(
            "The school the practitioner works at, paid its share of the day rate for each "
            "day delivered. Blank for someone the partnership or the LA employs."
        ),
    )
    day_cost = models.DecimalField(max_digits=9, decimal_places=2)
    days_available = models.DecimalField(
        "days available in the year", max_digits=6, decimal_places=1, default=Decimal("0")
    )
    active = models.BooleanField(default=True)

    history = AuditedRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.designation})"


class DayRate(models.Model):
    """What a day of a practitioner of one designation is worth, and how it is split.

    For a practitioner released by their home school the partnership keeps its share
    (the brokerage) and pays the rest to the home school for each day delivered.
    """

    designation = models.CharField(
        max_length=10, choices=Practitioner.Designation.choices, unique=True
    )
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)
    partnership_percent = models.DecimalField(
        "share kept by the partnership (%)", max_digits=5, decimal_places=2
    )

    history = AuditedRecords()

    class Meta:
        ordering = ["designation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partnership_percent__gte=0)
                & models.Q(partnership_percent__lte=100),
                name="day_rate_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(day_rate__gte=0), name="day_rate_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.get_designation_display()}: £{self.day_rate} a day"

    @property
    def home_school_percent(self) -> Decimal:
        return Decimal("100") - self.partnership_percent


class Offer(models.Model):
    """Something the partnership sells or provides: a visit, a review, a day, a CPD place."""

    class Strand(models.TextChoices):
        CORE = "core", "Core offer"
        ADDITIONAL = "additional", "Additional offer"

    class Unit(models.TextChoices):
        DAY = "day", "day"
        HALF_DAY = "half-day", "half-day"
        REVIEW = "review", "review"
        PLACE = "place", "place"
        NETWORK = "network", "network"
        VISIT = "visit", "visit"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    strand = models.CharField(max_length=12, choices=Strand.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="offers")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Units that can be booked in the year; blank = unlimited."
    )
    phases = models.JSONField(
        default=list, blank=True, help_text="School categories the offer is for; empty = all."
    )
    vat_rate = models.DecimalField(
        "VAT rate (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Blank = the partnership's default rate.",
    )
    active = models.BooleanField(default=True)
    cost_line = models.SlugField(
        max_length=50,
        blank=True,
        help_text=(
            "The budget cost line (by its code in the partnership file) that delivering this "
            "offer costs: its deployments are recorded against that line."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["strand", "name"]

    def __str__(self):
        return self.name


class OfferPrice(models.Model):
    """A price or unit cost of an offer, for one school category or (blank) for all."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member price"
        NON_MEMBER = "non_member", "Non-member price"
        LA = "la", "LA price (when the LA commissions it)"
        UNIT_COST = "unit_cost", "Unit cost to the partnership"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="prices")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.CharField(max_length=30, choices=Category.choices, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    history = AuditedRecords()

    class Meta:
        ordering = ["offer", "kind", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "kind", "category"], name="one_price_per_offer_kind_category"
            )
        ]

    def __str__(self):
        who = self.get_category_display() if self.category else "all schools"
        return f"{self.offer}: {self.get_kind_display()} for {who} £{self.amount}"


class Tier(models.Model):
    """A membership level; a school holds at most one a year. Its fee scheme is in membership."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    history = AuditedRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TierInclusion(models.Model):
    """Units of an offer included in a tier's fee (used before any charge)."""

    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="inclusions")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="tier_inclusions")
    units = models.DecimalField(max_digits=6, decimal_places=1)
    # What a membership includes decides what a school pays for bookings: audited.
    history = AuditedRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tier", "offer"], name="one_inclusion_per_tier_offer")
        ]

    def __str__(self):
        return f"{self.units} × {self.offer} in {self.tier}"
