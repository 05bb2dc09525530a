from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from partnership.calendars import AcademicYear, PartnershipYear
from partnership.history import AuditedRecords

from . import rules


class MembershipYearQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class MembershipYear(models.Model):
    """An academic year of membership and the census date its per-pupil fees are read at."""

    academic_year = models.CharField(max_length=7, unique=True, help_text="e.g. 2026/27")
    census_date = models.DateField(help_text="Pupil numbers: the latest count on or before it.")
    start_month = models.PositiveSmallIntegerField(
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The month the partnership's year starts (9 = September; Haringey's is 4).",
    )
    is_current = models.BooleanField(default=False)
    # The buy-back window: when members of the year before may renew for this year, change
    # membership or say they are leaving. After it closes only the coordinator changes a
    # renewal (the partnership's rule for late changes).
    buy_back_opens = models.DateField("buy-back opens", null=True, blank=True)
    buy_back_closes = models.DateField("buy-back closes", null=True, blank=True)

    objects = MembershipYearQuerySet.as_manager()
    # Who moved the buy-back window, and when: schools are held to it.
    history = AuditedRecords(excluded_fields=["is_current"])

    class Meta:
        ordering = ["academic_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(buy_back_opens__isnull=True)
                | models.Q(buy_back_closes__isnull=True)
                | models.Q(buy_back_closes__gte=models.F("buy_back_opens")),
                name="buy_back_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return self.academic_year

    @property
    def academic(self) -> AcademicYear:
        return AcademicYear.parse(self.academic_year)

    @property
    def period(self) -> PartnershipYear:
        """The twelve months this year's memberships and budget cover."""
        return PartnershipYear(self.academic.start_year, self.start_month)

    @property
    def starts_on(self):
        return self.period.starts_on

    @property
    def ends_on(self):
        return self.period.ends_on

    @property
    def start_year(self) -> int:
        return self.academic.start_year


class FeeScheme(models.Model):
    """How a tier's fee is worked out in one year (one of the four kinds in rules.py)."""

    class Kind(models.TextChoices):
        PER_PUPIL = rules.PER_PUPIL, "Per pupil"
        BY_CATEGORY = rules.BY_CATEGORY, "By school category"
        BY_PUPILS = rules.BY_PUPILS, "Banded by pupils"
        FLAT = rules.FLAT, "Flat fee"

    tier = models.ForeignKey("offers.Tier", on_delete=models.CASCADE, related_name="fee_schemes")
    year = models.ForeignKey(MembershipYear, on_delete=models.CASCADE, related_name="fee_schemes")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Four decimal places: a rate such as £0.895 a pupil is kept exactly as the file says.
    rate = models.DecimalField(
        "rate per pupil", max_digits=12, decimal_places=4, null=True, blank=True
    )
    minimum = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    flat_amount = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    category_amounts = models.JSONField(
        default=dict, blank=True, help_text='{"primary": "2100", ...} for by_category'
    )
    bands = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"up_to": 210, "fee": "850"}, {"up_to": null, ...}] in file order',
    )

    history = AuditedRecords()

    class Meta:
        ordering = ["year", "tier__order", "tier__name"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "year"], name="one_fee_scheme_per_tier_year")
        ]

    def __str__(self):
        return f"{self.tier} {self.year}: {self.get_kind_display()}"

    def in_words(self) -> str:
        """How the fee is worked out, for a school reading it ("£2.50 a pupil, ...")."""
        return rules.describe_terms(self.terms())

    def terms(self) -> rules.FeeTerms:
        """The scheme as plain values for the fee rules."""
        return rules.FeeTerms(
            kind=self.kind,
            rate=self.rate,
            minimum=self.minimum,
            maximum=self.maximum,
            flat=self.flat_amount,
            by_category={key: Decimal(value) for key, value in self.category_amounts.items()},
            bands=tuple(
                rules.Band(up_to=band.get("up_to"), fee=Decimal(band["fee"])) for band in self.bands
            ),
        )


class Membership(models.Model):
    """A school's membership of the partnership for one academic year, in one tier.

    The fee quote is frozen on it when the school signs the agreement, so later changes
    to the rate or the roll never change what a signed school pays.
    """

    class Status(models.TextChoices):
        INTERESTED = "interested", "Interested"
        PENDING = "pending", "Awaiting approval"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Lapsed"

    # Declined and withdrawn memberships are closed: the school may sign again that year.
    CLOSED_STATUSES = (Status.DECLINED, Status.WITHDRAWN)

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="memberships"
    )
    year = models.ForeignKey(MembershipYear, on_delete=models.PROTECT, related_name="memberships")
    tier = models.ForeignKey(
        "offers.Tier", on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INTERESTED)
    purchase_order = models.CharField("purchase order number", max_length=50, blank=True)
    joined_on = models.DateField(
        null=True, blank=True, help_text="Membership starts; pro-rata from it."
    )
    fee_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_basis = models.TextField(blank=True)
    fee_pupils = models.PositiveIntegerField(null=True, blank=True)
    fee_census_date = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True)
    renewal_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__academic_year", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=~models.Q(status__in=["declined", "withdrawn"]),
                name="one_open_membership_per_school_year",
            ),
            # Pending, active and lapsed memberships were signed, with their quote frozen.
            models.CheckConstraint(
                condition=~models.Q(status__in=["pending", "active", "lapsed"])
                | models.Q(signed_at__isnull=False),
                name="membership_past_interest_is_signed",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_at__isnull=True)
                | (models.Q(fee_amount__isnull=False) & ~models.Q(fee_basis="")),
                name="signed_membership_has_a_fee_and_basis",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.school.name} {self.year}"

    @property
    def is_signed(self):
        return self.signed_at is not None


class ExpressionOfInterest(models.Model):
    """A school's early word on joining next year, for the partnership's planning."""

    class Intent(models.TextChoices):
        YES = "yes", "Yes, we intend to join"
        MAYBE = "maybe", "Maybe, we are considering it"
        NO = "no", "No, we do not intend to join"

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="expressions_of_interest"
    )
    year = models.ForeignKey(
        MembershipYear, on_delete=models.CASCADE, related_name="expressions_of_interest"
    )
    intent = models.CharField(max_length=5, choices=Intent.choices)
    preferred_tier = models.ForeignKey(
        "offers.Tier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "expressions of interest"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year"], name="one_expression_per_school_year"
            )
        ]

    def __str__(self):
        return f"{self.school.name} {self.year}: {self.get_intent_display()}"


class RenewalReminder(models.Model):
    """A reminder sent to a school that had not answered its renewal before the buy-back
    window closed: one per renewal and number of days before, so none is sent twice."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "days_before"], name="one_reminder_per_renewal_and_day"
            )
        ]

    def __str__(self):
        return f"Reminder {self.days_before} days before the window closes: {self.membership}"
