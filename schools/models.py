import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from partnership.history import AuditedRecords

from .rules import Category, Governance, is_maintained, school_category, school_governance


@dataclass(frozen=True)
class Conversion:
    """A maintained school that became an academy: which academy, from which day."""

    academy: "School"
    converts_on: datetime.date


class SchoolQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=School.Status.OPEN)

    def with_pupils_at(self, census_date):
        """Annotate `pupils`: the latest count on or before the census date."""
        latest = PupilCount.objects.filter(
            school=models.OuterRef("pk"), census_date__lte=census_date
        ).order_by("-census_date")
        return self.annotate(
            pupils=models.Subquery(latest.values("pupils")[:1]),
            pupils_census_date=models.Subquery(latest.values("census_date")[:1]),
        )


class School(models.Model):
    """A school in the register, as GIAS describes it, identified by its URN."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    urn = models.CharField("URN", max_length=6, unique=True)
    name = models.CharField(max_length=200)
    la_code = models.CharField("LA code", max_length=3, blank=True)
    la_name = models.CharField("local authority", max_length=100, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    type_group = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    category = models.CharField(max_length=30, choices=Category.choices, blank=True)
    governance = models.CharField(
        max_length=30, choices=Governance.choices, default=Governance.OTHER
    )
    gias_status = models.CharField("GIAS status", max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    postcode = models.CharField(max_length=10, blank=True)
    # Kept from GIAS as downloaded, for the coordinator's own reference.
    ofsted_rating = models.CharField("Ofsted rating", max_length=60, blank=True)
    ofsted_last_inspection = models.DateField("last Ofsted inspection", null=True, blank=True)
    trust_name = models.CharField("academy trust", max_length=255, blank=True)
    head_first_name = models.CharField("headteacher's first name", max_length=100, blank=True)
    head_last_name = models.CharField("headteacher's last name", max_length=100, blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=300, blank=True)
    opened_on = models.DateField("opened", null=True, blank=True)
    closed_on = models.DateField("closed", null=True, blank=True)
    # The school this one replaced (a maintained school that converted to this academy,
    # from GIAS's PreviousEstablishmentNumber): its history stays on the predecessor.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The school this one replaced, e.g. the maintained school that converted.",
    )
    causing_concern = models.BooleanField("school causing concern", default=False)
    concern_reason = models.CharField(max_length=300, blank=True)
    concern_since = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Lists of 22,000 schools, and of their memberships, open in name order.
            models.Index(fields=["name"]),
            # The register's filters offer the phases and type groups it holds.
            models.Index(fields=["phase"]),
            models.Index(fields=["type_group"]),
            models.Index(fields=["category"]),
            models.Index(fields=["status"]),
            models.Index(fields=["la_code"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    def derive_classification(self):
        """Set category and governance from the GIAS fields (partnership-file.md rules)."""
        self.category = (
            school_category(
                establishment_type=self.establishment_type,
                type_group=self.type_group,
                phase=self.phase,
            )
            or ""
        )
        self.governance = school_governance(
            establishment_type=self.establishment_type, type_group=self.type_group
        )

    @property
    def is_maintained(self):
        return is_maintained(self.governance)

    def conversion(self) -> Conversion | None:
        """The academy this maintained school became and the day it did, or None.

        GIAS opens the academy under a new URN naming this school as its predecessor
        (PreviousEstablishmentNumber) and closes this one: the conversion date is the
        academy's opening date, else the day after this school closed. Reads
        `successors` (prefetch it for a list).
        """
        if not self.is_maintained:
            return None
        academies = [s for s in self.successors.all() if not s.is_maintained]
        if not academies:
            return None
        academy = min(academies, key=lambda s: (s.opened_on or datetime.date.max, s.urn))
        converts_on = academy.opened_on or (
            self.closed_on + datetime.timedelta(days=1) if self.closed_on else None
        )
        if converts_on is None:
            return None
        return Conversion(academy=academy, converts_on=converts_on)

    def pupils_at(self, census_date):
        """The latest pupil count on or before the census date, or None."""
        count = (
            self.pupil_counts.filter(census_date__lte=census_date).order_by("-census_date").first()
        )
        return count


class PupilCount(models.Model):
    """Pupils on roll at a census date, kept as history so every fee can be explained."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupil_counts")
    census_date = models.DateField()
    pupils = models.PositiveIntegerField()
    source = models.CharField(max_length=100, blank=True, help_text="e.g. GIAS import file")

    class Meta:
        ordering = ["school", "-census_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "census_date"], name="one_count_per_census")
        ]

    def __str__(self):
        return f"{self.pupils} pupils at {self.census_date:%d/%m/%Y}"


class SchoolContactQuerySet(models.QuerySet):
    def current(self):
        """Contacts who still act for the school (not marked as left)."""
        return self.filter(left_on__isnull=True)


class SchoolContact(models.Model):
    """A person who acts for a school, in a role: with a portal account (`user`), or without
    one (a chair of governors often has none), then known by `name` and `email`.

    The role is the post the person holds at the school; being the finance contact or the
    CPD lead are duties any of them may also carry (docs/decisions.md, "Contacts by role").
    """

    class Role(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher"
        BUSINESS_MANAGER = "business_manager", "School business manager"
        CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
        OTHER = "other", "Other member of staff"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="school_contacts",
    )
    # Only for a person without a portal account; with one, their account's name and email.
    name = models.CharField("full name", max_length=200, blank=True)
    email = models.EmailField("email address", blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OTHER)
    position = models.CharField("job title", max_length=100, blank=True)
    is_finance_contact = models.BooleanField("finance contact", default=False)
    is_cpd_lead = models.BooleanField("CPD lead", default=False)
    # Kept (not deleted) so the record shows who acted for the school when, and so a
    # retention rule can anonymise people some time after they left.
    left_on = models.DateField("left on", null=True, blank=True)

    # Who acts for a school decides who sees its invoices and signs for it: audited.
    history = AuditedRecords()
    objects = SchoolContactQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=models.Q(left_on__isnull=True, user__isnull=False),
                name="one_current_contact_per_school_user",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="contact_has_account_or_name",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} for {self.school}"

    @property
    def full_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.name

    @property
    def email_address(self) -> str:
        """Where to write to them: their account's address, or the one recorded."""
        return self.user.email if self.user_id else self.email

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    def duties(self) -> list[str]:
        """'Finance contact', 'CPD lead': what they do beside their role."""
        return [
            label
            for flag, label in (
                (self.is_finance_contact, "Finance contact"),
                (self.is_cpd_lead, "CPD lead"),
            )
            if flag
        ]


def gias_import_progress_key(import_id: int) -> str:
    """Where a running GIAS import's progress is kept in the cache."""
    return f"schools:gias-import-progress:{import_id}"


class GiasImport(models.Model):
    """A GIAS file uploaded for import, run in the background: who imported what, when,
    and with what result (the report's counts and rejected rows, or why nothing changed)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    # Deleted once the import has ended: the report is what is kept.
    file = models.FileField(upload_to="gias/", blank=True)
    file_name = models.CharField("file", max_length=255)
    la_codes = models.JSONField("LA codes", default=list, blank=True)
    census_date = models.DateField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gias_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # [{"census_date": "2026-01-15", "count": 412}]: pupil counts held from this file.
    pupil_counts = models.JSONField(default=list, blank=True)
    # Rows with NumberOfPupils but no census date to record it at.
    pupils_not_recorded = models.PositiveIntegerField(default=0)
    # Successor schools linked to the school they replaced.
    linked = models.PositiveIntegerField(default=0)
    # [{"line": 7, "message": "..."}]: imported, but worth checking.
    warnings = models.JSONField(default=list, blank=True)
    # [{"line": 4, "reason": "..."}], as the report lists them.
    rejections = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "GIAS import"

    def __str__(self):
        return f"GIAS import of {self.file_name} ({self.get_status_display().lower()})"

    @property
    def finished(self):
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )


class AccessRequest(models.Model):
    """Someone from a school asking for an account, from the public "Request access" page,
    until a coordinator approves it (the person is invited as a school user of that school)
    or declines it (the person is told why).

    At most one request is pending for an email address at a time (a constraint, so two
    submissions at once cannot both be kept).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    class RoleAtSchool(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher"
        BUSINESS_MANAGER = "business_manager", "School business manager"
        CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
        CPD_LEAD = "cpd_lead", "CPD lead"
        FINANCE_CONTACT = "finance_contact", "Finance contact"
        OTHER = "other", "Other"

    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.EmailField("work email address")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="access_requests")
    role_at_school = models.CharField(
        "role at the school", max_length=20, choices=RoleAtSchool.choices
    )
    # What they do, in their words, when none of the roles fits.
    other_role = models.CharField("your role", max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests_decided",
    )
    decline_reason = models.TextField("reason for declining", blank=True)
    # The account an approval made.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
    )

    # Who approved or declined, and when: an approval gives someone a school's records.
    history = AuditedRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-requested_at"])]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status="pending"),
                name="one_pending_access_request_per_email",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="declined_access_request_has_reason",
            ),
        ]

    def __str__(self):
        return f"Request for access from {self.full_name} for {self.school.name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def role_in_words(self) -> str:
        """'Headteacher', or what they wrote when no role fitted."""
        if self.role_at_school == self.RoleAtSchool.OTHER and self.other_role:
            return self.other_role
        return self.get_role_at_school_display()

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
