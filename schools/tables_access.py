import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone

from partnership.tables import WRAP_ANYWHERE, DateColumn
from partnership.templatetags.portal import status_tag

from .models import AccessRequest


class AccessRequestTable(tables.Table):
    caption = "Requests for access"
    requested_at = DateColumn(format="d M Y", verbose_name="Asked on")
    name = tables.Column(
        accessor="full_name",
        verbose_name="Name",
        order_by=("last_name", "first_name"),
        linkify=lambda record: reverse("schools:access_request", args=[record.pk]),
        attrs={"a": {"class": "govuk-link"}},
    )
    email = tables.Column(verbose_name="Email address", attrs=WRAP_ANYWHERE)
    school = tables.Column(accessor="school__name", verbose_name="School")
    urn = tables.Column(accessor="school__urn", verbose_name="URN", visible=False)
    role_at_school = tables.Column(verbose_name="Role at the school", order_by=("role_at_school",))
    status = tables.Column()
    decided_by = tables.Column(
        verbose_name="Decided by", default="", order_by=("decided_by__last_name",)
    )
    decided_at = DateColumn(format="d M Y", verbose_name="Decided on", default="")
    decline_reason = tables.Column(verbose_name="Reason for declining", visible=False)

    class Meta:
        model = AccessRequest
        fields = ()
        sequence = (
            "requested_at",
            "name",
            "email",
            "school",
            "urn",
            "role_at_school",
            "status",
            "decided_by",
            "decided_at",
            "decline_reason",
        )
        order_by = ("-requested_at",)
        empty_text = "No requests for access match."

    def render_role_at_school(self, record):
        return record.role_in_words

    def value_role_at_school(self, record):
        return record.role_in_words

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def value_decided_by(self, record):
        return str(record.decided_by) if record.decided_by else ""

    def value_requested_at(self, value):
        return timezone.localdate(value).isoformat()

    def value_decided_at(self, value):
        return timezone.localdate(value).isoformat() if value else ""
