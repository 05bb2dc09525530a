"""Forms for booking support, CPD places, deployments and commissioned packages."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from partnership.calendars import AcademicYear
from partnership.money import parse_money
from partnership.widgets import DatesInput, PickedDateField
from schools.models import School

from . import rules_bookings as rules
from .models import CourseSession, Offer, Practitioner
from .selectors_bookings import bookable_offers

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def parse_date(text: str) -> date:
    text = " ".join(text.strip().split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def in_year(day, year: AcademicYear, field: str):
    """The date, if it lies in the membership year (rules_bookings.date_in_year_problem)."""
    if day is not None:
        problem = rules.date_in_year_problem(day, year=year, field=field)
        if problem:
            raise forms.ValidationError(problem)
    return day


class UnitsField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.5"))
        kwargs.setdefault("max_value", Decimal("999"))
        kwargs.setdefault("decimal_places", 1)
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Enter how many units",
                "invalid": "Enter a number, like 2 or 1.5",
                "min_value": "Enter a number of 0.5 or more",
                "max_value": "Enter a number under 1000",
                "max_decimal_places": "Enter whole or half units, like 2 or 1.5",
            },
        )
        super().__init__(**kwargs)
        self.widget = forms.TextInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}
        )


class BookingForm(forms.Form):
    offer = forms.ModelChoiceField(
        queryset=Offer.objects.none(),
        empty_label="Choose support",
        error_messages={
            "required": "Choose the support to book",
            "invalid_choice": "Choose the support to book",
        },
    )
    units = UnitsField(help_text="Days, reviews, visits or places, as the offer is sold.")
    preferred_start = forms.DateField(
        label="Preferred first date",
        required=False,
        help_text="For example, 27/01/2027. Cancellation charges count back from the first date.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the preferred first date as a date, like 27/01/2027"},
    )
    preferred_dates = forms.CharField(
        label="Preferred dates or term",
        max_length=200,
        required=False,
        help_text="For example, 'Spring term, Tuesdays'.",
    )
    purchase_order = forms.CharField(label="Purchase order number", max_length=50, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = bookable_offers(school)
        self.fields["offer"].label_from_instance = lambda offer: (
            f"{offer.name} (per {offer.get_unit_display()})"
        )

    def clean_preferred_start(self):
        # A booking is for this membership year (services_bookings.book).
        return in_year(
            self.cleaned_data["preferred_start"],
            AcademicYear.containing(timezone.localdate()),
            "The preferred first date",
        )

    def clean(self):
        data = super().clean()
        offer, units = data.get("offer"), data.get("units")
        if offer is not None and units is not None:
            problem = rules.capacity_problem(
                units=units, capacity=offer.capacity, places=None, unit=offer.get_unit_display()
            )
            if problem:
                self.add_error("units", problem)
        return data


class DelegatesForm(forms.Form):
    delegates = forms.CharField(
        label="Delegates",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=(
            "One delegate on each line: their name, or their name, a comma and their email "
            "address. One place is booked for each."
        ),
    )
    unnamed = forms.IntegerField(
        label="Places to name later",
        required=False,
        min_value=0,
        max_value=500,
        help_text="Book places now and name the delegates before the session starts.",
        error_messages={
            "invalid": "Enter the places to name later as a whole number, for example 2",
            "min_value": "Enter 0 or more places to name later",
            "max_value": "Enter 500 places or fewer to name later",
        },
    )
    purchase_order = forms.CharField(label="Purchase order number", max_length=50, required=False)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean_delegates(self):
        from django.core.validators import validate_email

        from .services_attendance import Delegate, duplicate_delegate_problems

        people = []
        for line in self.cleaned_data["delegates"].splitlines():
            name, _, email = (part.strip() for part in line.partition(","))
            if not name and not email:
                continue
            if not name:
                raise forms.ValidationError(
                    f"Enter the name of the delegate whose email is {email}"
                )
            if len(name) > 200:
                raise forms.ValidationError("Each delegate's name must be 200 characters or fewer")
            if email:
                try:
                    validate_email(email)
                except forms.ValidationError:
                    raise forms.ValidationError(
                        f"{email} is not an email address: write the name, a comma, then "
                        "the email address"
                    ) from None
            people.append(Delegate(name, email.lower()))
        problems = duplicate_delegate_problems(people)
        if problems:
            raise forms.ValidationError(problems)
        return people

    def clean(self):
        data = super().clean()
        people, unnamed = data.get("delegates"), data.get("unnamed") or 0
        if people is None or "unnamed" in self.errors:
            return data
        if not people and not unnamed:
            self.add_error("delegates", "Enter the name of at least one delegate")
        elif self.session is not None:
            problem = rules.capacity_problem(
                units=len(people) + unnamed,
                capacity=self.session.offer.capacity,
                places=self.session.places,
                unit=self.session.offer.get_unit_display(),
            )
            if problem:
                self.add_error("delegates", problem)
        return data


class DeployForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.filter(active=True).order_by("name"),
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose a practitioner"},
    )
    dates = forms.CharField(
        label="Dates",
        widget=DatesInput(),
        help_text="One date for each day or half-day.",
        error_messages={"required": "Enter the dates of the deployment"},
    )
    days = UnitsField(label="Days", help_text="Whole or half days, like 1 or 1.5.")

    def __init__(self, *args, year: AcademicYear | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["practitioner"].label_from_instance = lambda p: (
            f"{p.name}, {p.get_designation_display()} (£{p.day_cost:,} a day)"
        )

    def clean_dates(self):
        found = []
        for part in re.split(r"[,;\n]+", self.cleaned_data["dates"]):
            if not part.strip():
                continue
            try:
                found.append(parse_date(part))
            except ValueError:
                raise forms.ValidationError(
                    f"'{part.strip()}' is not a date: write dates like 24/11/2026"
                ) from None
        if not found:
            raise forms.ValidationError("Enter the dates of the deployment")
        if len(set(found)) != len(found):
            raise forms.ValidationError("Each date can be given only once")
        if self.year is not None:
            for day in found:
                in_year(day, self.year, f"{day.day} {day:%B} {day.year:04d}")
        return sorted(found)


class DeliveredOnForm(forms.Form):
    delivered_on = PickedDateField(
        label="Delivered on",
        named="the delivery date",
        help_text="The day the support was given, or its last day.",
    )

    def __init__(self, *args, year: AcademicYear | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "The delivery date must be today or in the past: record delivery once it "
                "has happened"
            )
        return in_year(day, self.year, "The delivery date") if self.year else day


class CommissionForm(forms.Form):
    # Any open school: the LA commissions for schools causing concern and for other reasons.
    school = forms.ModelChoiceField(
        queryset=School.objects.open().order_by("name"),
        empty_label="Choose a school",
        label="School",
        help_text="Schools causing concern are marked as such in the list.",
        error_messages={
            "required": "Choose the school",
            "invalid_choice": "Choose an open school from the list",
        },
    )
    offer = forms.ModelChoiceField(
        queryset=Offer.objects.filter(active=True).order_by("name"),
        empty_label="Choose support",
        error_messages={"required": "Choose the support to commission"},
    )
    units = UnitsField()
    budget = forms.CharField(
        label="LA budget (£)",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the LA's budget for this support"},
    )
    reason = forms.CharField(
        label="Reason the LA is commissioning it",
        help_text="For example, Ofsted: requires improvement, NQT induction or early years.",
        max_length=300,
        error_messages={
            "required": "Enter the reason the LA is commissioning this support",
            "max_length": "Enter a reason of 300 characters or fewer",
        },
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].label_from_instance = lambda school: (
            f"{school.name} (causing concern)" if school.causing_concern else school.name
        )

    def clean_budget(self):
        try:
            amount = parse_money(self.cleaned_data["budget"])
        except ValueError:
            raise forms.ValidationError(
                "Enter the budget in pounds, like 5000 or 5000.00"
            ) from None
        if amount <= 0:
            raise forms.ValidationError("Enter a budget greater than £0")
        try:
            if amount.as_tuple().exponent < -2:
                raise forms.ValidationError("Enter the budget in whole pence, like 5000.50")
        except InvalidOperation:
            raise forms.ValidationError("Enter the budget in pounds") from None
        return amount


class CourseSessionForm(forms.ModelForm):
    """A CPD session the coordinator sets up: its title, date and times, where, and places."""

    class Meta:
        model = CourseSession
        fields = [
            "offer",
            "title",
            "date",
            "start_time",
            "end_time",
            "venue",
            "online_link",
            "places",
            "facilitator",
        ]
        labels = {"offer": "Course", "places": "Places (capacity)"}
        widgets = {
            "date": forms.DateInput(format="%d/%m/%Y"),
            "start_time": forms.TimeInput(format="%H:%M"),
            "end_time": forms.TimeInput(format="%H:%M"),
        }
        help_texts = {
            "date": "For example, 03/02/2027.",
            "start_time": "For example, 09:30.",
            "end_time": "For example, 15:30.",
            "venue": "Leave blank for a session held online.",
        }
        error_messages = {
            "offer": {"required": "Choose the course"},
            "date": {"required": "Enter the date", "invalid": "Enter the date as 03/02/2027"},
            "start_time": {
                "required": "Enter the start time",
                "invalid": "Enter the start time as 09:30",
            },
            "end_time": {"invalid": "Enter the end time as 15:30"},
            "online_link": {"invalid": "Enter the online joining link as a web address"},
            "places": {"required": "Enter the number of places"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.fields["offer"].queryset = Offer.objects.filter(unit=Offer.Unit.PLACE).order_by("name")
        self.fields["offer"].empty_label = "Choose a course"
        self.fields["facilitator"].queryset = Practitioner.objects.filter(active=True).order_by(
            "name"
        )
        self.fields["facilitator"].empty_label = "Nobody yet"

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places < 1:
            raise forms.ValidationError("Enter at least 1 place")
        return places

    def clean(self):
        data = super().clean()
        if not data.get("venue", "").strip() and not data.get("online_link", ""):
            self.add_error("venue", "Enter the venue, or an online joining link")
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        return data


class PlaceNameForm(forms.Form):
    """One place's delegate: a name and, optionally, an email address."""

    name = forms.CharField(label="Name", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter the email address like name@school.sch.uk"},
    )


PlaceNameFormSet = forms.formset_factory(PlaceNameForm, extra=0)


class EvaluationForm(forms.Form):
    """A rating of 1 to 5 for each of the partnership's questions, and comments."""

    SCALE = [
        (str(n), label)
        for n, label in ((1, "1 (poor)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (excellent)"))
    ]

    comments = forms.CharField(
        label="Comments", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        comments = self.fields.pop("comments")
        for index, question in enumerate(self.questions, start=1):
            self.fields[f"q{index}"] = forms.TypedChoiceField(
                label=question,
                choices=self.SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate '{question}' from 1 to 5"},
            )
        self.fields["comments"] = comments

    def ratings(self) -> dict:
        return {
            question: self.cleaned_data[f"q{index}"]
            for index, question in enumerate(self.questions, start=1)
        }
