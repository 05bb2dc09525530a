"""Form widgets and fields the GOV.UK templates do not have."""

import re
from datetime import date, datetime

from django import forms


def _as_iso(text):
    """A typed date as a date input holds it (2026-11-24); the text itself if it is none."""
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    return text


class DatesInput(forms.Widget):
    """Several dates, each in its own date picker; the form still receives them as one text,
    a date a line, so a field that reads typed dates reads these too.

    Five pickers show; ten more fold away under "More dates" (a deployment of more days is
    made in two).
    """

    template_name = "includes/widgets/dates.html"
    shown, more = 5, 10

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return "\n".join(value.strip() for value in values if value and value.strip())

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        typed = [_as_iso(part.strip()) for part in re.split(r"[,;\n]+", value or "")]
        typed = [value for value in typed if value]
        total = max(self.shown + self.more, len(typed))
        first_id = context["widget"]["attrs"].get("id", f"id_{name}")
        pickers = [
            {
                "id": first_id if number == 1 else f"{first_id}_{number}",
                "number": number,
                "value": typed[number - 1] if number <= len(typed) else "",
            }
            for number in range(1, total + 1)
        ]
        context["widget"]["shown"] = pickers[: self.shown]
        context["widget"]["more"] = pickers[self.shown :]
        context["widget"]["more_used"] = len(typed) > self.shown
        context["widget"]["described_by"] = context["widget"]["attrs"].get("aria-describedby")
        return context


# What a date field reads: the date picker's own form first, then dates typed by hand where a
# browser has no picker ("27/01/2027", "27 1 2027", "27 January 2027", "27 Jan 2027").
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]


class DatePicker(forms.DateInput):
    """One date in the browser's own date picker (<input type="date">), which sends and is
    given the date as 2026-11-24 whatever the person's own way of writing dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PickedDateField(forms.DateField):
    """A date chosen in a date picker, with GOV.UK messages that name the field: "Enter the
    date received", "The date received must be a real date, like 27 January 2027".

    `named` is the field as a sentence names it ("the date received"); by default the label.
    """

    widget = DatePicker

    def __init__(self, *, label, named="", **kwargs):
        named = named or label[0].lower() + label[1:]
        messages = {
            "required": f"Enter {named}",
            "invalid": f"{named[0].upper() + named[1:]} must be a real date, like 27 January 2027",
        }
        messages.update(kwargs.pop("error_messages", {}))
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(label=label, error_messages=messages, **kwargs)
        self.named = named
