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
