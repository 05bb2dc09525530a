"""Tables of bookings, deployments and commissioned packages (sortable, CSV export)."""

import django_tables2 as tables
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from partnership.money import csv_money, format_money
from partnership.tables import DateColumn
from partnership.tables import Table as PortalTable
from partnership.templatetags.portal import status_tag

from . import rules_bookings as rules
from .models import Booking, CommissionedPackage, Deployment

NUM = {"th": {"class": "portal-num"}, "td": {"class": "portal-num"}}


def _units(value):
    return f"{value.normalize():f}" if value is not None else ""


class BookingTable(PortalTable):
    reference = tables.Column(accessor="pk", verbose_name="Booking", order_by=("pk",))
    school = tables.Column(accessor="school__name", verbose_name="School")
    offer = tables.Column(accessor="offer__name", verbose_name="Support")
    units = tables.Column(attrs=NUM)
    included_units = tables.Column(verbose_name="Included", attrs=NUM)
    unit_price = tables.Column(verbose_name="Unit price", attrs=NUM)
    charge = tables.Column(empty_values=(), orderable=False, verbose_name="Charge", attrs=NUM)
    status = tables.Column()
    # Annotated by selectors_bookings.with_support_date.
    support_date = DateColumn(
        format="d M Y", verbose_name="Date of support", default="To be arranged"
    )
    created = DateColumn(format="d M Y", verbose_name="Booked")

    class Meta:
        model = Booking
        fields = (
            "reference",
            "school",
            "offer",
            "units",
            "included_units",
            "unit_price",
            "charge",
            "status",
            "support_date",
            "created",
        )
        order_by = ("-created",)
        empty_text = "No bookings match these filters."

    def render_reference(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("offers:booking_detail", args=[record.pk]),
            record.reference,
        )

    def value_reference(self, record):
        return record.reference

    def render_units(self, value):
        return _units(value)

    def render_included_units(self, value):
        return _units(value)

    def render_unit_price(self, value):
        return format_money(value)

    def value_unit_price(self, value):
        return csv_money(value)

    def order_support_date(self, queryset, is_descending):
        """Bookings with no date arranged yet come last, whichever way the list is sorted."""
        date = F("support_date")
        ordering = date.desc(nulls_last=True) if is_descending else date.asc(nulls_last=True)
        return queryset.order_by(ordering, "-pk"), True

    def render_charge(self, record):
        """What the booking costs as it stands: a cancelled one its cancellation charge."""
        charge = record.charge_now
        if record.status != Booking.Status.CANCELLED:
            return format_money(charge)
        if not charge:
            return "No charge"
        return format_html(
            '{}<span class="govuk-body-s govuk-!-display-block">cancellation charge</span>',
            format_money(charge),
        )

    def value_charge(self, record):
        return csv_money(record.charge_now)

    def render_status(self, record):
        label = record.get_status_display()
        if record.status == Booking.Status.WAITING and record.waiting_position:
            label = f"Waiting list, number {record.waiting_position}"
        if record.status == Booking.Status.OFFERED and record.offer_expires_at:
            held = timezone.localtime(record.offer_expires_at)
            label = f"Place offered, held until {held:%d %b %Y %H:%M}"
        return status_tag(record.status, label)

    def value_status(self, record):
        return record.get_status_display()


class DeploymentTable(tables.Table):
    practitioner = tables.Column(accessor="practitioner__name", verbose_name="Practitioner")
    school = tables.Column(empty_values=(), orderable=False, verbose_name="School")
    offer = tables.Column(empty_values=(), orderable=False, verbose_name="Support")
    dates = tables.Column(empty_values=(), orderable=False, verbose_name="Dates")
    days = tables.Column(attrs=NUM)
    status = tables.Column()
    cost = tables.Column(attrs=NUM)
    action = tables.Column(
        empty_values=(), orderable=False, verbose_name="Action", exclude_from_export=True
    )

    class Meta:
        model = Deployment
        fields = ("practitioner", "school", "offer", "dates", "days", "status", "cost", "action")
        order_by = ("practitioner",)
        empty_text = "No deployments match these filters."

    def _dates(self, record):
        return [
            day.date for day in record.dates.all() if day.active or record.status == "cancelled"
        ]

    def render_school(self, record):
        name = record.school.name
        return f"{name} (commissioned by the LA)" if record.commissioned else name

    def value_school(self, record):
        return record.school.name

    def render_offer(self, record):
        return record.offer.name

    def render_dates(self, record):
        return ", ".join(f"{d:%d %b %Y}" for d in self._dates(record))

    def value_dates(self, record):
        return " ".join(d.isoformat() for d in self._dates(record))

    def render_days(self, value):
        return _units(value)

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_cost(self, value):
        return format_money(value)

    def value_cost(self, value):
        return csv_money(value) if value is not None else ""

    def render_action(self, record):
        if record.status != Deployment.Status.PLANNED:
            return ""
        return format_html(
            '<a class="govuk-link" href="{}">Confirm days delivered'
            '<span class="govuk-visually-hidden">: {}, {}</span></a>',
            reverse("offers:deployment_deliver", args=[record.pk]),
            record.practitioner.name,
            record.school.name,
        )


class CommissionedPackageTable(tables.Table):
    reference = tables.Column(accessor="pk", verbose_name="Package", order_by=("pk",))
    school = tables.Column(accessor="school__name", verbose_name="School")
    offer = tables.Column(accessor="offer__name", verbose_name="Support")
    reason = tables.Column(verbose_name="Reason")
    units = tables.Column(attrs=NUM)
    cost = tables.Column(empty_values=(), orderable=False, verbose_name="Cost to the LA", attrs=NUM)
    budget = tables.Column(verbose_name="LA budget", attrs=NUM)
    days_deployed = tables.Column(verbose_name="Days deployed", attrs=NUM)
    status = tables.Column()

    class Meta:
        model = CommissionedPackage
        fields = (
            "reference",
            "school",
            "offer",
            "reason",
            "units",
            "cost",
            "budget",
            "days_deployed",
            "status",
        )
        order_by = ("-reference",)
        empty_text = "No commissioned support yet."

    def render_reference(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("offers:package_detail", args=[record.pk]),
            record.reference,
        )

    def value_reference(self, record):
        return record.reference

    def render_units(self, value):
        return _units(value)

    def _cost(self, record):
        return rules.booking_charge(
            units=record.units, included_units=0, unit_price=record.unit_price
        )

    def render_cost(self, record):
        return format_money(self._cost(record))

    def value_cost(self, record):
        return csv_money(self._cost(record))

    def render_budget(self, value):
        return format_money(value)

    def value_budget(self, value):
        return csv_money(value)

    def render_days_deployed(self, value):
        return _units(value)

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()
