"""Governance: boards and their seats, nominations, meetings, priorities and
task-and-finish groups. Pure rules (vacancy, term expiry, representation) are in
`rules.py`; writes in `services.py`; reads for pages in `selectors.py`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from partnership.history import AuditedRecords
from partnership.money import money

from . import rules


def today():
    return timezone.localdate()


class Board(models.Model):
    """A governing board of the partnership (the partnership board, a sub-board)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Seat(models.Model):
    """A place on a board and who holds it now. A seat with no holder, or whose
    holder's term has ended, is vacant."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Independent chair"
        HEAD_PRIMARY = "head_primary", "Headteacher representative (primary)"
        HEAD_SECONDARY = "head_secondary", "Headteacher representative (secondary)"
        HEAD_SPECIAL = "head_special", "Headteacher representative (special)"
        GOVERNOR = "governor", "Governor"
        LA_OFFICER = "la_officer", "LA officer"
        OTHER = "other", "Other"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="seats")
    code = models.SlugField(max_length=50)
    role = models.CharField(max_length=20, choices=Role.choices)
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        help_text="The holder's portal account, if they have one.",
    )
    holder_name = models.CharField(max_length=200, blank=True)
    holder_email = models.EmailField(blank=True)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        help_text="The school the holder comes from.",
    )
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["board", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["board", "code"], name="one_seat_code_per_board"),
            models.CheckConstraint(
                condition=models.Q(term_start__isnull=True)
                | models.Q(term_end__isnull=True)
                | models.Q(term_end__gt=models.F("term_start")),
                name="seat_term_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.board}: {self.get_role_display()} ({self.code})"

    def clean(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError({"term_end": "The term must end after it starts"})

    @property
    def holder(self):
        if self.holder_name:
            return self.holder_name
        return str(self.holder_user) if self.holder_user_id else ""

    @property
    def has_holder(self):
        return bool(self.holder_name or self.holder_user_id)

    def is_vacant(self, on=None):
        return rules.seat_is_vacant(
            has_holder=self.has_holder, term_end=self.term_end, on=on or today()
        )

    def term_expiring(self, on=None):
        return rules.term_expiring(
            has_holder=self.has_holder, term_end=self.term_end, on=on or today()
        )

    @property
    def vacant(self):
        return self.is_vacant()

    @property
    def expiring(self):
        return self.term_expiring()


class Nomination(models.Model):
    """Someone put forward for a vacant seat; the coordinator records the outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        ELECTED = "elected", "Elected"
        APPOINTED = "appointed", "Appointed"
        NOT_ELECTED = "not_elected", "Not elected"

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="nominations")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_made"
    )
    nominee_name = models.CharField(max_length=200)
    nominee_email = models.EmailField()
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    statement = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.nominee_name} for {self.seat}"

    @property
    def self_nomination(self):
        return self.nominee_email.lower() == self.nominated_by.email.lower()


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def is_upcoming(self):
        return self.date >= today()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Paper(models.Model):
    """A board paper. The file is never given a public URL: it is read only through
    the permission-checked download view."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="governance/papers/%Y/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="papers_uploaded"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agenda_item", "uploaded_at", "pk"]

    def __str__(self):
        return self.title


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)

    history = AuditedRecords()

    def __str__(self):
        return f"Minutes of {self.meeting}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    history = AuditedRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description

    @property
    def overdue(self):
        return rules.action_overdue(status=self.status, due_date=self.due_date, on=today())


class Priority(models.Model):
    """One of the partnership's agreed priorities."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        RETIRED = "retired", "Retired"

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class TaskAndFinishGroup(models.Model):
    """A time-limited group working on one priority; it must end after it starts and
    close with a report."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="task_groups")
    remit = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField()
    schools = models.ManyToManyField("schools.School", blank=True, related_name="task_groups")
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="task_groups"
    )
    closing_report = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["end_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="task_group_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The group must end after it starts"})

    @property
    def is_closed(self):
        return bool(self.closing_report)

    @property
    def flagged(self):
        return rules.group_needs_closing_report(
            end_date=self.end_date, has_closing_report=self.is_closed, on=today()
        )


class Designation(models.TextChoices):
    LLE = "LLE", "Local Leader of Education"
    SLE = "SLE", "Specialist Leader of Education"
    NLE = "NLE", "National Leader of Education"
    ADVISER = "adviser", "Adviser"
    OTHER = "other", "Other"


class DayAllocation(models.Model):
    """Practitioner days allocated to a group: the plan (e.g. 10 LLE days at £500)."""

    group = models.ForeignKey(
        TaskAndFinishGroup, on_delete=models.CASCADE, related_name="allocations"
    )
    designation = models.CharField(max_length=10, choices=Designation.choices)
    days = models.DecimalField(max_digits=6, decimal_places=1)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["group", "designation"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "designation"], name="one_allocation_per_group_designation"
            ),
            models.CheckConstraint(condition=models.Q(days__gt=0), name="allocation_days_positive"),
        ]

    def __str__(self):
        return f"{self.group}: {self.days} {self.designation} days at £{self.day_rate}"

    @property
    def cost(self):
        return money(self.days * self.day_rate)


class TaskGroupDays(models.Model):
    """Practitioner days a group used, on a date: the cost the trading account
    recognises on that date (read by finance through `selectors.task_group_day_costs`)."""

    group = models.ForeignKey(
        TaskAndFinishGroup, on_delete=models.PROTECT, related_name="days_used"
    )
    designation = models.CharField(max_length=10, choices=Designation.choices)
    date = models.DateField()
    days = models.DecimalField(max_digits=6, decimal_places=1)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name_plural = "task group days"
        constraints = [
            models.CheckConstraint(condition=models.Q(days__gt=0), name="days_used_positive"),
        ]

    def __str__(self):
        return f"{self.group}: {self.days} {self.designation} days on {self.date:%d/%m/%Y}"

    @property
    def cost(self):
        return money(self.days * self.day_rate)


class ProgressReport(models.Model):
    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    group = models.ForeignKey(
        TaskAndFinishGroup, on_delete=models.CASCADE, related_name="progress_reports"
    )
    date = models.DateField(default=today)
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices)
    summary = models.TextField()

    class Meta:
        ordering = ["group", "-date", "-pk"]

    def __str__(self):
        return f"{self.group} {self.date}: {self.rag}"


class Recommendation(models.Model):
    group = models.ForeignKey(
        TaskAndFinishGroup, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    made_on = models.DateField(default=today)

    class Meta:
        ordering = ["group", "made_on", "pk"]

    def __str__(self):
        return self.text[:80]
