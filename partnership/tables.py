import datetime

import django_tables2 as tables
from django.db import models
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import A, AttributeDict, call_with_appropriate, signature

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


class RowCells:
    """How one column's cells are worked out, resolved once per table.

    django-tables2 works out, for every cell, the column (a scan of the columns by name),
    its accessor's parts, whether the field has choices, which arguments the
    ``render_<name>`` method takes (``inspect.signature``) and, for a linked column, calls
    ``reverse()``. The answers are the same for every row, so this asks once and does per
    row only what depends on the row. The cell is the same as django-tables2's
    (BoundRow.get_cell); anything unusual is handed to it unchanged.
    """

    ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")

    def __init__(self, table, name):
        self.table = table
        self.name = name
        self.bound_column = bound_column = table.columns[name]
        self.column = column = bound_column.column
        self.accessor = accessor = A(bound_column.accessor)
        self.bits = tuple(accessor.bits)
        path, _, self.remainder = accessor.rpartition(accessor.SEPARATOR)
        self.path = A(path)
        self.path_bits = tuple(self.path.bits)
        self.choices_by_model = {}
        self.is_many_to_many = isinstance(column, ManyToManyColumn)
        self.is_link_with_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.render = bound_column.render
        self.render_arguments = self._arguments(self.render)
        self.link = bound_column.link
        self.link_html = self._link_html(self.link) if self.link else None

    @classmethod
    def _arguments(cls, function):
        """The cell arguments `function` takes; None when it takes one no cell offers
        (django-tables2 then renders nothing)."""
        names, catch_all = signature(function)
        if catch_all:
            return cls.ARGUMENTS
        if any(name not in cls.ARGUMENTS for name in names):
            return None
        return tuple(names)

    def _link_html(self, link):
        """A function from (url) to the link's opening tag attributes, or None to let
        django-tables2 link the cell itself."""
        attrs = link.attrs or {}
        if "href" in attrs or any(callable(value) for value in attrs.values()):
            return None
        static = AttributeDict(attrs).as_html()
        return (static + " ") if static else ""

    def resolve(self, record, bits, accessor, quiet=False):
        """Accessor.resolve, without trying a model instance as a dictionary first."""
        if (
            not isinstance(record, models.Model)
            or accessor.callable_args
            or accessor.callable_kwargs
        ):
            return accessor.resolve(record, quiet=quiet)
        try:
            current = record
            for bit in bits:
                if not isinstance(current, models.Model) or hasattr(type(current), "__getitem__"):
                    return accessor.resolve(record, quiet=quiet)
                try:
                    current = getattr(current, bit)
                except (TypeError, AttributeError):
                    return accessor.resolve(record, quiet=quiet)
                if callable(current):
                    if getattr(current, "alters_data", False):
                        return accessor.resolve(record, quiet=quiet)
                    if not getattr(current, "do_not_call_in_templates", False):
                        current = current()
                if current is None:
                    break
            return current
        except Exception:
            if not quiet:
                raise
            return None

    def has_choices(self, record):
        model = type(record)
        if model not in self.choices_by_model:
            field = self.accessor.get_field(record)
            self.choices_by_model[model] = bool(getattr(field, "choices", ()))
        return self.choices_by_model[model]

    def cell(self, row):
        record = row._record
        value = None
        remainder = self.remainder
        penultimate = (
            self.resolve(record, self.path_bits, self.path, quiet=True)
            if self.path_bits
            else self.path.resolve(record, quiet=True)
        )
        if isinstance(penultimate, models.Model) and self.has_choices(record):
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if display:
                value = display()
                remainder = None
        if remainder:
            try:
                value = self.resolve(record, self.bits, self.accessor)
            except Exception:
                if self.is_link_with_text:
                    return row._call_render(self.bound_column)
        if value in self.column.empty_values or (self.is_many_to_many and not value.exists()):
            return self.bound_column.default
        return self.render_cell(row, value)

    def render_cell(self, row, value):
        if self.render_arguments is None:
            content = None
        else:
            offered = {
                "value": value,
                "record": row._record,
                "column": self.column,
                "bound_column": self.bound_column,
                "bound_row": row,
                "table": self.table,
            }
            content = self.render(**{name: offered[name] for name in self.render_arguments})
        if not self.link:
            return content
        if self.link_html is None:
            return self.link(content, **row._optional_cell_arguments(self.bound_column, value))
        url = self.url(row, value)
        if url is None:
            return content
        return format_html(
            "<a {}>{}</a>", mark_safe(self.link_html + format_html('href="{}"', url)), content
        )

    def url(self, row, value):
        link = self.link
        if link.url and callable(link.url):
            return call_with_appropriate(
                link.url, row._optional_cell_arguments(self.bound_column, value)
            )
        if link.reverse_args.get("viewname") is not None:
            return self.reverse(row._record)
        return link.compose_url(**row._optional_cell_arguments(self.bound_column, value))

    def reverse(self, record):
        """The row's link from one reversed prefix: a view with one argument, a whole
        number (a pk, a URN), is the same address around the number every row."""
        arguments = self.link.reverse_args
        args = arguments.get("args") or ()
        simple = (
            isinstance(arguments["viewname"], str)
            and set(arguments) <= {"viewname", "args"}
            and len(args) == 1
        )
        if simple:
            accessor = args[0]
            value = accessor.resolve(record) if isinstance(accessor, A) else accessor
            text = str(value)
            if text.isascii() and text.isdigit():
                around = self.around(arguments["viewname"], text)
                if around is not None:
                    return around[0] + text + around[1]
        return self.link.call_reverse(record=record)

    def around(self, viewname, text):
        """The address around a number of this many digits, reversed once for the first
        such number and used for every other (a URL pattern of digits, such as a URN's
        six, matches every number of the same length)."""
        arounds = self.__dict__.setdefault("_arounds", {})
        key = (len(text), text.startswith("0"))
        if key not in arounds:
            url = reverse(viewname, args=[text])
            arounds[key] = tuple(url.split(text)) if url.count(text) == 1 else None
        return arounds[key]


# How a template shows a cell's value ({{ cell }}): escaped, dates in local time.
CELL_CONTEXT = Context(autoescape=True)


class PortalRow(BoundRow):
    def get_cell(self, name):
        return self._table.cells_of(name).cell(self)

    @property
    def cells_html(self):
        """The row's cells as includes/table.html writes them, in one go rather than a
        template loop per cell; empty (the template's own loop) for a column that asks to
        be localised or not."""
        from partnership.templatetags.portal import cell_class, cell_label

        parts = []
        for column, cell in self.items():
            if column.localize is not None:
                return ""
            parts.append(
                format_html(
                    '\n        <td class="{}" data-label="{}"><span class="portal-cell">{}'
                    "</span></td>\n        ",
                    cell_class(column),
                    cell_label(column),
                    render_value_in_context(cell, CELL_CONTEXT),
                )
            )
        return mark_safe("".join(parts))


class PortalRows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield PortalRow(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return PortalRows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return PortalRow(record=self.data[key], table=self.table)


class Table(tables.Table):
    """The portal's tables: django-tables2's, with each column's cell rendering resolved
    once per table (RowCells) rather than for every cell. Sorting, filtering, pagination
    and exports are django-tables2's own; the HTML is byte for byte the same
    (tests/partnership/test_table_html.py)."""

    resolve_cells_once = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.resolve_cells_once:
            self.rows = PortalRows(data=self.data, table=self, pinned_data=self.pinned_data)
        self._cells = {}

    def cells_of(self, name):
        if name not in self._cells:
            self._cells[name] = RowCells(self, name)
        return self._cells[name]
