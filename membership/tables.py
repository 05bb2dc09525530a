import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_tables2.utils import A

from partnership.money import csv_money, format_money
from partnership.tables import DateColumn
from partnership.tables import Table as PortalTable
from partnership.templatetags.portal import status_tag

from . import rules
from .models import ExpressionOfInterest, Membership


class MembershipTable(PortalTable):
    school = tables.Column(
        accessor="school__name",
        verbose_name="School",
        linkify=("membership:school", [A("school__urn")]),
        attrs={"a": {"class": "govuk-link"}},
    )
    category = tables.Column(accessor="school__category", verbose_name="Category")
    year = tables.Column(accessor="year__academic_year", verbose_name="Year")
    tier = tables.Column(accessor="tier__name", verbose_name="Tier", default="Not chosen")
    status = tables.Column()
    fee_amount = tables.Column(
        verbose_name="Fee", attrs={"td": {"class": "portal-num"}, "th": {"class": "portal-num"}}
    )
    signed_at = DateColumn(verbose_name="Signed")
    decide = tables.Column(
        accessor="pk", verbose_name="Action", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Membership
        fields = ("school", "category", "year", "tier", "status", "fee_amount", "signed_at")
        order_by = ("school",)
        empty_text = "No memberships match."

    def render_category(self, record):
        return record.school.get_category_display() or "None"

    def value_category(self, record):
        return record.school.category

    def render_status(self, record):
        # django-tables2 passes a choice field's label as `value`; the tag colour needs the code.
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.status

    def value_signed_at(self, value):
        return timezone.localtime(value).date().isoformat() if value else ""

    def render_fee_amount(self, value):
        return format_money(value)

    def value_fee_amount(self, value):
        return csv_money(value) if value is not None else ""

    def render_decide(self, record):
        from django.utils.html import format_html

        if record.status != Membership.Status.PENDING:
            return "—"
        return format_html(
            '<a class="govuk-link" href="{}">Decide'
            '<span class="govuk-visually-hidden"> on {}</span></a>',
            reverse("membership:decide", args=[record.pk]),
            record.school.name,
        )


class ExpressionOfInterestTable(tables.Table):
    school = tables.Column(
        accessor="school__name",
        verbose_name="School",
        linkify=lambda record: reverse("membership:school", args=[record.school.urn]),
        attrs={"a": {"class": "govuk-link"}},
    )
    year = tables.Column(accessor="year__academic_year", verbose_name="Year")
    intent = tables.Column()
    preferred_tier = tables.Column(
        accessor="preferred_tier__name", verbose_name="Preferred tier", default="No preference"
    )
    notes = tables.Column(orderable=False)
    submitted_by = tables.Column(verbose_name="Submitted by")
    submitted_at = DateColumn(verbose_name="Submitted")

    class Meta:
        model = ExpressionOfInterest
        fields = (
            "school",
            "year",
            "intent",
            "preferred_tier",
            "notes",
            "submitted_by",
            "submitted_at",
        )
        order_by = ("school",)
        empty_text = "No expressions of interest match."

    def render_intent(self, value, record):
        tags = {"yes": "active", "maybe": "pending", "no": "withdrawn"}
        return status_tag(tags[record.intent], record.intent.capitalize())

    def value_intent(self, record):
        return record.intent


class RenewalTable(tables.Table):
    """Each school invited to renew, and what it has said."""

    school = tables.Column(
        accessor="school__name",
        verbose_name="School",
        linkify=lambda record: reverse("membership:school", args=[record.school.urn]),
        attrs={"a": {"class": "govuk-link"}},
    )
    year = tables.Column(accessor="year__academic_year", verbose_name="Year")
    previous = tables.Column(accessor="renewal_of__tier__name", verbose_name="This year")
    tier = tables.Column(accessor="tier__name", verbose_name="Renewing as", default="Not chosen")
    response = tables.Column(accessor="status", verbose_name="Response")
    fee_amount = tables.Column(
        verbose_name="Fee", attrs={"td": {"class": "portal-num"}, "th": {"class": "portal-num"}}
    )
    answered = DateColumn(accessor="answered_at", verbose_name="Answered")
    reminders_sent = tables.Column(
        verbose_name="Reminders",
        attrs={"td": {"class": "portal-num"}, "th": {"class": "portal-num"}},
    )

    class Meta:
        model = Membership
        fields = ()
        sequence = (
            "school",
            "year",
            "previous",
            "tier",
            "response",
            "fee_amount",
            "answered",
            "reminders_sent",
        )
        order_by = ("school",)
        empty_text = "No renewals match."

    def _response(self, record):
        return rules.renewal_response(
            status=record.status,
            tier_id=record.tier_id,
            previous_tier_id=record.renewal_of.tier_id,
        )

    def render_response(self, record):
        colour = {
            "No response": "grey",
            "Renewing": "green",
            "Changing membership": "blue",
            "Leaving": "orange",
        }
        words = self._response(record)
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour.get(words, "grey"), words
        )

    def value_response(self, record):
        return self._response(record)

    def render_tier(self, record, value):
        return value if record.status != Membership.Status.WITHDRAWN else "Leaving"

    def render_fee_amount(self, value):
        return format_money(value)

    def value_fee_amount(self, value):
        return csv_money(value) if value is not None else ""

    def value_answered(self, value):
        return timezone.localtime(value).date().isoformat() if value else ""
