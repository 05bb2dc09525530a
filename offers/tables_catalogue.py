"""Tables of the catalogue (for everyone) and of the coordinator's management lists."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from partnership.money import csv_money, format_money
from partnership.tables import WRAP_ANYWHERE

from .models import Offer, Practitioner, Provider, Tier
from .rules import MEMBER, NON_MEMBER, UNIT_COST, price_summary, school_price
from .rules_bookings import days_left, practitioner_use
from .selectors_catalogue import offer_prices

CHANGE_LINK = (
    '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> (change)</span></a>'
)
NUM = {"th": {"class": "portal-num"}, "td": {"class": "portal-num"}}


def _price_text(prices_by_kind, kind, category):
    """For one category: the amount or why there is none; for none: every price set."""
    if category:
        quote = school_price(prices_by_kind, category=category, member=kind == MEMBER)
        if quote.available:
            return format_money(quote.amount)
        return "Price on request" if kind == MEMBER else "Not sold to non-members"
    rows = price_summary(prices_by_kind[kind])
    if not rows:
        return "Price on request" if kind == MEMBER else "Not sold to non-members"
    return "; ".join(f"{who} {format_money(amount)}" for who, amount in rows)


def _price_csv(prices_by_kind, kind, category):
    if category:
        quote = school_price(prices_by_kind, category=category, member=kind == MEMBER)
        return csv_money(quote.amount) if quote.available else ""
    return "; ".join(
        f"{who} {csv_money(amount)}" for who, amount in price_summary(prices_by_kind[kind])
    )


class CatalogueTable(tables.Table):
    """The offer as a school sees it, priced for one school category (or every price)."""

    name = tables.Column(verbose_name="Offer")
    strand = tables.Column(verbose_name="Strand")
    provider = tables.Column(accessor="provider__name", verbose_name="Provider")
    unit = tables.Column(verbose_name="Per")
    member_price = tables.Column(empty_values=(), orderable=False, verbose_name="Member price")
    non_member_price = tables.Column(
        empty_values=(), orderable=False, verbose_name="Non-member price"
    )
    capacity = tables.Column(empty_values=(), verbose_name="Capacity", attrs=NUM)

    class Meta:
        model = Offer
        # Prices straight after the name, so a phone shows them without scrolling sideways.
        fields = (
            "name",
            "member_price",
            "non_member_price",
            "unit",
            "capacity",
            "strand",
            "provider",
        )
        sequence = fields
        order_by = ("-strand", "name")
        empty_text = "No offers match these filters."

    def __init__(self, *args, category="", **kwargs):
        self.category = category
        super().__init__(*args, **kwargs)

    def render_name(self, record):
        link = format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("offers:offer_detail", args=[record.code]),
            record.name,
        )
        if record.description:
            return format_html(
                '{}<span class="govuk-body-s portal-block">{}</span>', link, record.description
            )
        return link

    def value_name(self, record):
        return record.name

    def render_strand(self, record):
        return record.get_strand_display()

    def render_unit(self, record):
        return record.get_unit_display()

    def render_member_price(self, record):
        return _price_text(offer_prices(record), MEMBER, self.category)

    def value_member_price(self, record):
        return _price_csv(offer_prices(record), MEMBER, self.category)

    def render_non_member_price(self, record):
        return _price_text(offer_prices(record), NON_MEMBER, self.category)

    def value_non_member_price(self, record):
        return _price_csv(offer_prices(record), NON_MEMBER, self.category)

    def render_capacity(self, record):
        return (
            "Unlimited"
            if record.capacity is None
            else f"{record.capacity} {record.get_unit_display()}s"
        )

    def value_capacity(self, record):
        return "" if record.capacity is None else record.capacity


class OfferAdminTable(tables.Table):
    """The coordinator's list of every offer, with all its prices and unit costs."""

    code = tables.Column()
    name = tables.Column(verbose_name="Offer")
    strand = tables.Column()
    provider = tables.Column(accessor="provider__name", verbose_name="Provider")
    unit = tables.Column()
    member_prices = tables.Column(empty_values=(), orderable=False, verbose_name="Member prices")
    non_member_prices = tables.Column(
        empty_values=(), orderable=False, verbose_name="Non-member prices"
    )
    unit_costs = tables.Column(empty_values=(), orderable=False, verbose_name="Unit costs")
    capacity = tables.Column(empty_values=(), attrs=NUM)
    active = tables.BooleanColumn(verbose_name="In catalogue", yesno="Yes,No")

    class Meta:
        model = Offer
        fields = (
            "code",
            "name",
            "strand",
            "provider",
            "unit",
            "member_prices",
            "non_member_prices",
            "unit_costs",
            "capacity",
            "active",
        )
        order_by = ("-strand", "name")
        empty_text = "No offers yet."

    def render_name(self, record):
        return format_html(
            CHANGE_LINK,
            reverse("offers:manage_offer_edit", args=[record.code]),
            record.name,
        )

    def value_name(self, record):
        return record.name

    def render_strand(self, record):
        return record.get_strand_display()

    def _prices(self, record, kind):
        rows = price_summary(offer_prices(record)[kind])
        if not rows:
            return "None"
        return format_html_join(
            "",
            '<span class="portal-block">{}: {}</span>',
            ((who, format_money(a)) for who, a in rows),
        )

    def _prices_csv(self, record, kind):
        return "; ".join(
            f"{who} {csv_money(a)}" for who, a in price_summary(offer_prices(record)[kind])
        )

    def render_member_prices(self, record):
        return self._prices(record, MEMBER)

    def value_member_prices(self, record):
        return self._prices_csv(record, MEMBER)

    def render_non_member_prices(self, record):
        return self._prices(record, NON_MEMBER)

    def value_non_member_prices(self, record):
        return self._prices_csv(record, NON_MEMBER)

    def render_unit_costs(self, record):
        return self._prices(record, UNIT_COST)

    def value_unit_costs(self, record):
        return self._prices_csv(record, UNIT_COST)

    def render_capacity(self, record):
        return "Unlimited" if record.capacity is None else record.capacity

    def value_active(self, value):
        return "Yes" if value else "No"

    def value_capacity(self, record):
        return "" if record.capacity is None else record.capacity


class ProviderTable(tables.Table):
    code = tables.Column()
    name = tables.Column()
    contact_email = tables.EmailColumn(verbose_name="Contact email", attrs=WRAP_ANYWHERE)
    offer_count = tables.Column(verbose_name="Offers", attrs=NUM)
    practitioner_count = tables.Column(verbose_name="Practitioners", attrs=NUM)

    class Meta:
        model = Provider
        fields = ("code", "name", "contact_email", "offer_count", "practitioner_count")
        order_by = ("name",)
        empty_text = "No providers yet."

    def render_name(self, record):
        return format_html(
            CHANGE_LINK,
            reverse("offers:manage_provider_edit", args=[record.code]),
            record.name,
        )

    def value_name(self, record):
        return record.name


class PractitionerTable(tables.Table):
    name = tables.Column()
    designation = tables.Column()
    provider = tables.Column(accessor="provider__name", verbose_name="Provider")
    email = tables.EmailColumn(attrs=WRAP_ANYWHERE)
    day_cost = tables.Column(verbose_name="Day cost", attrs=NUM)
    days_available = tables.Column(verbose_name="Days available", attrs=NUM)
    committed = tables.Column(verbose_name="Committed this year", attrs=NUM)
    delivered = tables.Column(verbose_name="Delivered this year", attrs=NUM)
    days_left = tables.Column(verbose_name="Days left", attrs=NUM, empty_values=(), orderable=False)
    use = tables.Column(verbose_name="Use", empty_values=(), orderable=False)
    account = tables.Column(
        accessor="user__email", verbose_name="Portal account", default="None", attrs=WRAP_ANYWHERE
    )
    active = tables.BooleanColumn(verbose_name="Available", yesno="Yes,No")

    class Meta:
        model = Practitioner
        fields = (
            "name",
            "designation",
            "provider",
            "email",
            "day_cost",
            "days_available",
            "committed",
            "delivered",
            "days_left",
            "use",
            "account",
            "active",
        )
        order_by = ("name",)
        empty_text = "No practitioners yet."

    def __init__(self, *args, share_of_year_gone=Decimal("0"), **kwargs):
        super().__init__(*args, **kwargs)
        self.share_of_year_gone = share_of_year_gone

    def _days(self, value):
        return f"{Decimal(value).normalize():f}"

    def render_committed(self, value):
        return self._days(value)

    def render_delivered(self, value):
        return self._days(value)

    def value_committed(self, value):
        return self._days(value)

    def value_delivered(self, value):
        return self._days(value)

    def render_days_left(self, record):
        return self.value_days_left(record)

    def value_days_left(self, record):
        return self._days(
            days_left(days_available=record.days_available, days_deployed=record.committed)
        )

    def _use(self, record):
        return practitioner_use(
            days_available=record.days_available,
            committed=record.committed,
            share_of_year_gone=self.share_of_year_gone,
        )

    def render_use(self, record):
        words = self._use(record)
        if not words:
            return "As expected"
        colour = (
            "red" if words == "Over-committed" else "yellow" if words == "Under-used" else "orange"
        )
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, words)

    def value_use(self, record):
        return self._use(record) or "As expected"

    def render_name(self, record):
        return format_html(
            CHANGE_LINK,
            reverse("offers:manage_practitioner_edit", args=[record.pk]),
            record.name,
        )

    def value_name(self, record):
        return record.name

    def value_active(self, value):
        return "Yes" if value else "No"

    def render_day_cost(self, value):
        return format_money(value)

    def value_day_cost(self, value):
        return csv_money(value)


class TierTable(tables.Table):
    order = tables.Column(verbose_name="Position", attrs=NUM)
    code = tables.Column()
    name = tables.Column()
    includes = tables.Column(empty_values=(), orderable=False, verbose_name="Includes")
    active = tables.BooleanColumn(verbose_name="Open", yesno="Yes,No")

    class Meta:
        model = Tier
        fields = ("order", "code", "name", "includes", "active")
        order_by = ("order", "name")
        empty_text = "No tiers yet."

    def render_name(self, record):
        return format_html(
            CHANGE_LINK,
            reverse("offers:manage_tier_edit", args=[record.code]),
            record.name,
        )

    def value_name(self, record):
        return record.name

    def value_active(self, value):
        return "Yes" if value else "No"

    def _includes(self, record):
        return [
            f"{inclusion.units.normalize():f} × {inclusion.offer.name}"
            for inclusion in record.inclusions.all()
        ]

    def render_includes(self, record):
        rows = self._includes(record)
        if not rows:
            return "Nothing included"
        return format_html_join(
            "", '<span class="portal-block">{}</span>', ((row,) for row in rows)
        )

    def value_includes(self, record):
        return "; ".join(self._includes(record))
