"""Several dates typed into date pickers reach the form as one text, a date a line."""

from django.http import QueryDict

from partnership.widgets import DatesInput


def test_the_pickers_filled_in_become_a_date_a_line():
    data = QueryDict("dates=2026-11-23&dates=&dates=2026-11-24&dates=")
    assert DatesInput().value_from_datadict(data, {}, "dates") == "2026-11-23\n2026-11-24"


def test_dates_given_back_fill_the_first_pickers_and_open_the_rest_when_needed():
    html = DatesInput().render("dates", "23/11/2026\n2026-11-24", attrs={"id": "id_dates"})
    assert html.count('type="date"') == 15
    assert 'id="id_dates" value="2026-11-23"' in html
    assert 'id="id_dates_2" value="2026-11-24"' in html
    assert 'aria-label="Date 2"' in html
    assert '<details class="govuk-details portal-dates-more">' in html

    many = "\n".join(f"2026-11-{day:02d}" for day in range(2, 9))
    html = DatesInput().render("dates", many, attrs={"id": "id_dates"})
    assert 'id="id_dates_7" value="2026-11-08"' in html
    assert '<details class="govuk-details portal-dates-more" open>' in html


def test_a_date_that_is_not_one_is_given_back_as_typed():
    html = DatesInput().render("dates", "31/11/2026", attrs={"id": "id_dates"})
    assert 'id="id_dates" value="31/11/2026"' in html


def test_a_picked_date_is_a_date_picker_holding_the_date_as_browsers_send_it():
    from datetime import date

    from partnership.widgets import PickedDateField

    field = PickedDateField(label="Date received")
    html = field.widget.render("received_on", date(2027, 1, 27))
    assert 'type="date"' in html and 'value="2027-01-27"' in html
    # What a browser without a picker lets a person type is read too.
    for typed in ("2027-01-27", "27/01/2027", "27 1 2027", "27 January 2027", "27 Jan 2027"):
        assert field.clean(typed) == date(2027, 1, 27)


def test_a_picked_dates_messages_name_the_field():
    import pytest
    from django import forms

    from partnership.widgets import PickedDateField

    field = PickedDateField(label="Census date")
    with pytest.raises(forms.ValidationError) as missing:
        field.clean("")
    assert missing.value.messages == ["Enter census date"]
    named = PickedDateField(label="Date received", named="the date received")
    with pytest.raises(forms.ValidationError) as wrong:
        named.clean("31/02/2027")
    assert wrong.value.messages == ["The date received must be a real date, like 27 January 2027"]
