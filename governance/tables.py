import django_tables2 as tables
from django.utils.html import format_html

from partnership.tables import DateColumn
from partnership.templatetags.portal import status_tag

from .models import Action, Meeting, Nomination, Seat, TaskAndFinishGroup


class MeetingTable(tables.Table):
    date = DateColumn()
    title = tables.Column(linkify=("governance:meeting", {"pk": tables.A("pk")}))
    board = tables.Column(accessor="board__name", verbose_name="Board")
    item_count = tables.Column(verbose_name="Agenda items", attrs={"td": {"class": "portal-num"}})
    minutes = tables.Column(accessor="minutes__status", verbose_name="Minutes", default="None yet")

    class Meta:
        model = Meeting
        fields = ("date", "title", "board", "item_count", "minutes")
        empty_text = "No meetings yet."

    def render_minutes(self, value, record):
        return status_tag(value, record.minutes.get_status_display())

    def value_minutes(self, value, record):
        return value


class ActionTable(tables.Table):
    description = tables.Column()
    owner = tables.Column()
    due_date = DateColumn(verbose_name="Due")
    status = tables.Column()
    meeting = tables.Column(
        accessor="meeting__title",
        verbose_name="Meeting",
        linkify=lambda record: record.meeting and _meeting_url(record.meeting_id),
    )

    class Meta:
        model = Action
        fields = ("description", "owner", "due_date", "status", "meeting")
        empty_text = "No actions."

    def render_status(self, value, record):
        if record.overdue:
            return status_tag("overdue", "Overdue")
        return status_tag(record.status, record.get_status_display())

    def value_status(self, value, record):
        return "overdue" if record.overdue else record.status


def _meeting_url(pk):
    from django.urls import reverse

    return reverse("governance:meeting", kwargs={"pk": pk})


class TaskGroupTable(tables.Table):
    name = tables.Column(linkify=("governance:task_group", {"pk": tables.A("pk")}))
    priority = tables.Column(accessor="priority__title", verbose_name="Priority")
    start_date = DateColumn(verbose_name="Starts")
    end_date = DateColumn(verbose_name="Ends")
    school_count = tables.Column(verbose_name="Schools", attrs={"td": {"class": "portal-num"}})
    latest_rag = tables.Column(verbose_name="Latest RAG", default="No report yet")
    state = tables.Column(empty_values=(), orderable=False, verbose_name="State")

    class Meta:
        model = TaskAndFinishGroup
        fields = (
            "name",
            "priority",
            "start_date",
            "end_date",
            "school_count",
            "latest_rag",
            "state",
        )
        empty_text = "No task-and-finish groups yet."

    def render_latest_rag(self, value):
        return status_tag(value, value.capitalize())

    def render_state(self, record):
        if record.is_closed:
            return status_tag("closed", "Closed")
        if record.flagged:
            return status_tag("overdue", "Closing report overdue")
        return status_tag("open", "Running")

    def value_state(self, record):
        if record.is_closed:
            return "closed"
        return "closing report overdue" if record.flagged else "running"


class NominationTable(tables.Table):
    nominee_name = tables.Column(
        verbose_name="Nominee", linkify=("governance:nomination", {"pk": tables.A("pk")})
    )
    seat = tables.Column(
        accessor="seat__role", verbose_name="Seat", order_by=("seat__board__name", "seat__role")
    )
    school = tables.Column(accessor="school__name", verbose_name="School", default="")
    submitted_at = DateColumn(verbose_name="Submitted")
    status = tables.Column()

    class Meta:
        model = Nomination
        fields = ("nominee_name", "seat", "school", "submitted_at", "status")
        empty_text = "No nominations."

    def render_seat(self, record):
        return f"{record.seat.board.name}: {record.seat.get_role_display()}"

    def value_seat(self, record):
        return self.render_seat(record)

    def render_status(self, value, record):
        colour = {"pending": "pending", "elected": "approved", "appointed": "approved"}.get(
            value, "declined"
        )
        return status_tag(colour, record.get_status_display())

    def value_status(self, value, record):
        return record.get_status_display()


class VacancyTable(tables.Table):
    board = tables.Column(accessor="board__name", verbose_name="Board")
    role = tables.Column(verbose_name="Seat")
    term_end = DateColumn(verbose_name="Last term ended", default="Never filled")
    pending = tables.Column(
        verbose_name="Nominations awaiting decision", attrs={"td": {"class": "portal-num"}}
    )

    class Meta:
        model = Seat
        fields = ("board", "role", "term_end", "pending")
        empty_text = "No vacant seats."

    def render_role(self, record):
        return format_html("{}", record.get_role_display())
