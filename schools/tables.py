import django_tables2 as tables
from django.db.models import F
from django_tables2.utils import A

from partnership.tables import Table as PortalTable
from partnership.templatetags.portal import status_tag

from .models import School


class SchoolTable(PortalTable):
    caption = "Schools"
    name = tables.Column(
        linkify=("schools:detail", [A("urn")]), attrs={"a": {"class": "govuk-link"}}
    )
    urn = tables.Column(verbose_name="URN")
    la_code = tables.Column(verbose_name="LA code", visible=False)
    phase = tables.Column(visible=False)
    establishment_type = tables.Column(verbose_name="Type", visible=False)
    category = tables.Column()
    governance = tables.Column()
    type_group = tables.Column(verbose_name="Type group", visible=False)
    status = tables.Column()
    gias_status = tables.Column(verbose_name="GIAS status", visible=False)
    causing_concern = tables.Column(verbose_name="Causing concern")
    pupils = tables.Column(
        verbose_name="Pupils",
        default="Not known",
        attrs={
            "td": {"class": "govuk-table__cell--numeric"},
            "th": {"class": "govuk-table__header--numeric"},
        },
    )
    pupils_census_date = tables.Column(verbose_name="Census date", visible=False)
    postcode = tables.Column(visible=False)

    class Meta:
        model = School
        fields = ()
        order_by = ("name",)
        empty_text = "No schools match."

    def __init__(self, *args, census_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        if census_date is not None:
            # The census the numbers come from, in the header, so an export says it too.
            self.columns["pupils"].column.verbose_name = f"Pupils ({census_date:%d %b %Y})"

    def order_pupils(self, queryset, is_descending):
        # Schools with no count go last either way, not first as PostgreSQL puts NULLs.
        pupils = F("pupils")
        order = pupils.desc(nulls_last=True) if is_descending else pupils.asc(nulls_last=True)
        return queryset.order_by(order, "name"), True

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_causing_concern(self, value):
        return status_tag("red", "Causing concern") if value else "No"

    def value_causing_concern(self, value):
        return "yes" if value else "no"

    def value_pupils_census_date(self, value):
        return value.isoformat() if value else ""
