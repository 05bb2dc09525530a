from django import forms, template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeData, mark_safe

from partnership import words
from partnership.money import format_money, surplus_words

register = template.Library()


@register.filter
def gbp(value):
    """£1,234.50; blank for None."""
    if value is None or value == "":
        return ""
    return format_money(value)


@register.filter
def surplus(value):
    """Surplus £X / Deficit £X / Break-even (£0.00); blank for None."""
    if value is None or value == "":
        return ""
    return surplus_words(value)


@register.filter
def financial_year(value):
    """A financial year as pages write it: "2026/27" (values in links and forms keep 2026-27)."""
    return words.financial_year(value)


@register.filter
def held_value(value):
    """A value of a personal data record as a table shows it: dates "01 Dec 2026", yes/no,
    money as pounds, a dash for nothing."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d %b %Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d %b %Y}"
    if isinstance(value, Decimal):
        return format_money(value)
    return value


WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.FileInput: "govuk-file-upload",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
}


def widget_kind(field):
    widget = field.field.widget
    # CheckboxSelectMultiple subclasses RadioSelect, so it must be checked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def field_kind(field):
    return widget_kind(field)


# Django's messages that do not say which field they are about, and what to say instead.
GENERIC_ERRORS = {
    "This field is required.": "{verb} {label}",
    "Enter a valid date.": "Enter {label} as a real date, for example 2026-10-01",
    "Enter a number.": "Enter {label} as a number",
    "Enter a whole number.": "Enter {label} as a whole number",
}


def _label_in_a_sentence(label) -> str:
    text = str(label or "").replace("(optional)", "").replace("(£)", "").strip().rstrip(":")
    # "Amount received" -> "amount received"; "URN" and "VAT rate" keep their capitals.
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


@register.filter
def field_errors(field):
    """The field's error messages, each naming the field: "Enter the reason for the credit
    note", never Django's bare "This field is required." (GOV.UK error messages)."""
    kind = widget_kind(field)
    chosen = kind in ("radios", "checkboxes") or isinstance(field.field.widget, forms.Select)
    verb = "Select" if chosen else "Enter"
    label = _label_in_a_sentence(field.label)
    return [
        GENERIC_ERRORS[str(error)].format(verb=verb, label=label)
        if str(error) in GENERIC_ERRORS and label
        else error
        for error in field.errors
    ]


@register.filter
def govuk_widget(field):
    """Render a field's widget with GOV.UK classes and the hint/error it is described by."""
    widget = field.field.widget
    css = next(
        (c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind),
        "govuk-input",
    )
    if field.errors and css in ("govuk-input", "govuk-select", "govuk-textarea"):
        css += f" {css}--error"
    if isinstance(widget, forms.NumberInput | forms.DateInput) and css == "govuk-input":
        css += " govuk-input--width-10"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": (widget.attrs.get("class", "") + " " + css).strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(widget, forms.Select):
        _name_the_empty_choice(field.field)
    return field.as_widget(attrs=attrs)


DASHES = "---------"


def _name_the_empty_choice(form_field):
    """An empty choice says what it means ("Choose one"), not Django's dashes."""
    if getattr(form_field, "empty_label", None) == DASHES:
        form_field.empty_label = "Choose one"
    choices = getattr(form_field, "choices", None)
    if isinstance(choices, list) and choices and choices[0] == ("", DASHES):
        form_field.choices = [("", "Choose one"), *choices[1:]]


TAG_COLOURS = {
    "active": "green",
    "paid": "green",
    "delivered": "green",
    "confirmed": "green",
    "approved": "green",
    "open": "green",
    "green": "green",
    "completed": "green",
    "pending": "yellow",
    "interested": "blue",
    "part_paid": "yellow",
    "requested": "blue",
    "waiting": "yellow",
    "offered": "orange",
    "accepted": "green",
    "expired": "grey",
    "amber": "yellow",
    "issued": "blue",
    "planned": "blue",
    "declined": "red",
    "overdue": "red",
    "red": "red",
    "cancelled": "grey",
    "withdrawn": "grey",
    "lapsed": "grey",
    "closed": "grey",
    "credited": "purple",
    "draft": "grey",
    "not_reviewed": "grey",
    "failed": "red",
    "queued": "blue",
    "running": "blue",
}


def _known_row_count(table) -> int:
    """How many rows the list has, when that is known without another query (a paginated
    list has counted them; a list of values holds them); else 2, as if enough to sort."""
    if getattr(table, "page", None) is not None:
        return table.paginator.count
    if isinstance(table.data.data, list | tuple):
        return len(table.data.data)
    return 2


@register.simple_tag(takes_context=True)
def sort_choices(context, table):
    """The "Sort by" form of a list, for a phone, where the stacked rows hide the column
    headers that sort it: each sortable column in each direction, the current order chosen,
    and the page's other query values (its filters) kept as hidden fields. None when the
    list cannot be sorted or has fewer than two rows."""
    if not getattr(table, "orderable", False) or _known_row_count(table) < 2:
        return None
    columns = [column for column in table.columns if column.orderable]
    if not columns:
        return None
    current = str(table.order_by[0]) if table.order_by else ""
    options = []
    for column in columns:
        header = strip_tags(str(column.header)).strip() or column.name
        for value, order in ((column.name, "ascending"), (f"-{column.name}", "descending")):
            options.append(
                {"value": value, "label": f"{header}, {order}", "selected": value == current}
            )
    field = table.prefixed_order_by_field
    request = context.get("request")
    kept = []
    if request is not None:
        for key, values in request.GET.lists():
            if key not in (field, table.prefixed_page_field):
                kept.extend((key, value) for value in values)
    return {"field": field, "options": options, "kept": kept, "chosen": bool(current)}


@register.simple_tag
def status_tag(value, label=None):
    """A GOV.UK tag coloured by status."""
    key = str(value).lower()
    colour = TAG_COLOURS.get(key)
    css = "govuk-tag" + (f" govuk-tag--{colour}" if colour else "")
    return format_html(
        '<strong class="{}">{}</strong>', css, label or str(value).replace("_", " ").capitalize()
    )


@register.filter
def cell_class(column):
    """The GOV.UK class of a table column's cells, worked out once per column.

    django-tables2 rebuilds a column's attrs on every access; a 50-row page asks for
    them hundreds of times.
    """
    if not hasattr(column, "_portal_cell_class"):
        # A column may say its class is None: that is no class, not the word "None".
        extra = (column.attrs.get("td") or {}).get("class") or ""
        column._portal_cell_class = f"govuk-table__cell {extra}".strip()
    return column._portal_cell_class


@register.filter
def cell_label(column):
    """A column's header as plain text for its cells' data-label (`header|striptags`),
    worked out once per column rather than for every cell."""
    if not hasattr(column, "_portal_cell_label"):
        header = column.header
        label = strip_tags(str(header))
        column._portal_cell_label = mark_safe(label) if isinstance(header, SafeData) else label
    return column._portal_cell_label


@register.filter
def filters_applied(filterset):
    """How many of a list's filters have a value in the query string (0 when none)."""
    data = filterset.data or {}
    filled = {
        key for key in data if any(data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    }
    # A range filter ("date") arrives as two keys ("date_after", "date_before").
    return sum(
        1
        for name in filterset.form.fields
        if any(key == name or key.startswith(f"{name}_") for key in filled)
    )
