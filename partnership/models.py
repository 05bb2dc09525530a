from decimal import Decimal

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords

from .history import AuditedRecords, PersonRecords
from .roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.COORDINATOR)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address and holds one role."""

    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.HEADTEACHER)
    job_title = models.CharField(max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    # Role, staff, superuser and active decide what a person may do, so every change is
    # audited; the password hash and the last sign-in are never copied into the history.
    # (The admin's form saves date_joined to the second: a "change" that is none.)
    history = PersonRecords(excluded_fields=["password", "last_login", "date_joined"])

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def has_role(self, *roles):
        return self.is_authenticated and self.is_active and self.role in roles


class Partnership(models.Model):
    """The partnership this portal runs: one row, set from the partnership file."""

    class LegalForm(models.TextChoices):
        # Who the partnership is decides how it can bill: only a trading account inside
        # the council can recharge the council's own budgets (its maintained schools).
        LA_TRADING_ACCOUNT = "la_trading_account", "A trading account inside the council"
        COMPANY = "company", "A schools-led company"

    name = models.CharField(max_length=200)
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("local authority", max_length=100)
    legal_form = models.CharField(
        max_length=20, choices=LegalForm.choices, default=LegalForm.LA_TRADING_ACCOUNT
    )
    vat_rate = models.DecimalField(
        "default VAT rate (%)", max_digits=5, decimal_places=2, default=Decimal("0")
    )
    invoice_prefix = models.CharField(max_length=10, default="INV")
    credit_note_prefix = models.CharField(max_length=10, default="CN")
    payment_terms_days = models.PositiveSmallIntegerField(default=30)
    # Who a school asks about joining, fees or the portal: shown on the public pages.
    contact_email = models.EmailField("contact email address", blank=True)
    contact_telephone = models.CharField("contact telephone", max_length=30, blank=True)
    contact_address = models.TextField("contact address", blank=True)
    # How long a place offered from a waiting list is held for the school before it passes
    # to the next: two days lets a school that reads its email once a day still answer.
    waiting_list_hold_hours = models.PositiveSmallIntegerField(
        "hours a place offered from a waiting list is held",
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )

    history = AuditedRecords()

    def __str__(self):
        return self.name

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_telephone or self.contact_address)

    @classmethod
    def current(cls):
        """The partnership, or None before a partnership file has been loaded."""
        return cls.objects.order_by("pk").first()


class ApiToken(models.Model):
    """A person's key to the read-only reporting API.

    Only the SHA-256 digest of the token is kept: the token itself is shown once, when it
    is made, and cannot be read back from the database. A token acts as its person with
    their role as it is at the time of each request, so a changed role or a deactivated
    account takes effect at once.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


# allauth's second factors (authenticator apps, recovery codes): their history says which
# was added or removed for whom, and never holds the secret or the codes (`data`).
register(
    Authenticator,
    app="partnership",
    records_class=AuditedRecords,
    excluded_fields=["data", "last_used_at"],
)


class CalendarFeed(models.Model):
    """A person's private calendar address: /calendar/<key>/<token>.ics.

    The key finds the feed; the token is an HMAC of the key with SECRET_KEY, so a copy of
    the database alone cannot open anyone's calendar. Resetting the address gives a new
    key, and the old address stops working at once.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.UUIDField(unique=True)
    reset_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar of {self.user}"


class ReminderSent(models.Model):
    """A reminder email sent to one address about one thing, so none is sent twice
    (partnership/reminders.py)."""

    kind = models.CharField(max_length=40)
    about = models.CharField(max_length=100, help_text="What it was about, e.g. invoice:123")
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "about", "email"], name="one_reminder_each")
        ]

    def __str__(self):
        return f"{self.kind} about {self.about} to {self.email}"


class ReminderChoice(models.Model):
    """A kind of reminder a person has turned off."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders_off")
    kind = models.CharField(max_length=40)

    # Who turned which emails off is asked about when someone says they were not told.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_reminder_kind")
        ]

    def __str__(self):
        return f"{self.user} turned off {self.kind}"


class PersonalDataRequest(models.Model):
    """That a coordinator exported or erased a person's data, or a retention rule erased
    it: who, when and whose account (anonymised once erased). The person's name or email
    is never kept here, so recording an erasure does not store what was erased."""

    class Action(models.TextChoices):
        EXPORT = "export", "Data exported (subject access)"
        ERASURE = "erasure", "Data erased"

    action = models.CharField(max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_requests",
        help_text="The person's account, if they had one; empty for someone named on records.",
    )
    records = models.PositiveIntegerField(
        default=0, help_text="Records exported, or records changed by the erasure."
    )
    made_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coordinator; empty when a retention rule did it.",
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} on {self.made_at:%d/%m/%Y}"
