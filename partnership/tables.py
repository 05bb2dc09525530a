import datetime

import django_tables2 as tables
from django.utils import dateformat, timezone

from .models import User
from .words import financial_year

# A cell holding an email address: the address may break anywhere, so a long one wraps
# rather than widening its column until the last columns hide behind a scroll. Other cells
# break only at spaces, so a short word ("Secondary", "2026/27") is never split to squeeze
# its column (static/css/portal.css).
WRAP_ANYWHERE = {"td": {"class": "portal-break"}}


class DateColumn(tables.Column):
    """A date (or a date and time, in UK time) as tables show it: "01 Dec 2026".

    django-tables2's own DateColumn and DateTimeColumn compile a template for every cell
    they render, which takes longer than the rest of a 50-row list together. Exports
    keep the value itself (ISO 8601 for a date).
    """

    def __init__(self, format="d M Y", **kwargs):
        super().__init__(**kwargs)
        self.date_format = format

    def render(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        return dateformat.format(value, self.date_format)

    def value(self, value):
        return value.isoformat() if type(value) is datetime.date else value


class FinancialYearColumn(tables.Column):
    """A financial year as pages write it, "2026/27"; exports keep "2026-27", the form the
    council's files and the commands use."""

    def render(self, value):
        return financial_year(value)

    def value(self, value):
        return value


class PeopleTable(tables.Table):
    name = tables.Column(accessor="get_full_name", order_by=("last_name", "first_name"))
    email = tables.Column(attrs=WRAP_ANYWHERE)
    role = tables.Column()
    job_title = tables.Column()
    last_login = DateColumn(format="d M Y H:i")

    class Meta:
        model = User
        fields = ("name", "email", "role", "job_title", "last_login")
