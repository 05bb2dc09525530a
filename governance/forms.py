from django import forms
from django.core.exceptions import ValidationError

from schools.models import School

from .models import (
    Action,
    AgendaItem,
    Board,
    DayAllocation,
    Decision,
    Meeting,
    Nomination,
    Priority,
    ProgressReport,
    Recommendation,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
)
from .uploads import ALLOWED, validate_paper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.urn})"


def open_schools():
    return School.objects.open().order_by("name")


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = ["code", "name", "description", "order"]
        help_texts = {"code": "Letters, digits and hyphens, e.g. partnership-board."}


class SeatForm(forms.ModelForm):
    school = SchoolChoiceField(queryset=open_schools(), required=False)

    class Meta:
        model = Seat
        fields = [
            "code",
            "role",
            "holder_name",
            "holder_email",
            "holder_user",
            "school",
            "term_start",
            "term_end",
            "order",
        ]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}
        labels = {"holder_user": "Holder's portal account", "holder_name": "Holder's name"}
        help_texts = {"holder_name": "Leave blank when the seat is vacant."}

    def __init__(self, *args, board=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board or self.instance.board
        self.fields["school"].queryset = open_schools()

    def clean_code(self):
        code = self.cleaned_data["code"]
        clash = Seat.objects.filter(board=self.board, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("This board already has a seat with this code")
        return code

    def clean(self):
        data = super().clean()
        if (
            data.get("term_start")
            and data.get("term_end")
            and data["term_end"] <= data["term_start"]
        ):
            self.add_error("term_end", "The term must end after it starts")
        return data


class NominationForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=Seat.objects.none(), empty_label=None)
    nominee_name = forms.CharField(label="Nominee's name", max_length=200)
    nominee_email = forms.EmailField(label="Nominee's email address")
    school = SchoolChoiceField(
        queryset=School.objects.none(),
        required=False,
        label="Nominee's school",
        help_text=(
            "Leave blank if the nominee does not come from a school "
            "(e.g. a governor or LA officer)."
        ),
    )
    statement = forms.CharField(
        label="Supporting statement",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why this person should hold the seat.",
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats
        self.fields["seat"].label_from_instance = lambda seat: (
            f"{seat.board.name}: {seat.get_role_display()}"
        )
        self.fields["school"].queryset = open_schools()


class NominationDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in Nomination.Status.choices if c[0] != Nomination.Status.PENDING],
        widget=forms.RadioSelect,
    )
    term_start = forms.DateField(
        required=False, widget=DateInput(), help_text="Needed when elected or appointed."
    )
    term_end = forms.DateField(
        required=False, widget=DateInput(), help_text="Needed when elected or appointed."
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") in (Nomination.Status.ELECTED, Nomination.Status.APPOINTED):
            if not data.get("term_start"):
                self.add_error("term_start", "Enter the date the term starts")
            if not data.get("term_end"):
                self.add_error("term_end", "Enter the date the term ends")
            if (
                data.get("term_start")
                and data.get("term_end")
                and data["term_end"] <= data["term_start"]
            ):
                self.add_error("term_end", "The term must end after it starts")
        return data


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["board", "title", "date", "location"]
        widgets = {"date": DateInput()}


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "presenter"]


class PaperForm(forms.Form):
    agenda_item = forms.ModelChoiceField(queryset=AgendaItem.objects.none(), empty_label=None)
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text=f"{ALLOWED}.")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("order", "pk")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_paper(uploaded)
        return uploaded


class MinutesForm(forms.Form):
    text = forms.CharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 12}))
    publish = forms.BooleanField(
        required=False,
        label="Publish the minutes",
        help_text=(
            "Published minutes are read by headteachers and finance officers "
            "and can no longer be changed."
        ),
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "order"]
        labels = {"text": "Decision"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DateInput()}


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["code", "title", "description", "order", "status"]


class TaskGroupForm(forms.ModelForm):
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Member schools",
    )

    class Meta:
        model = TaskAndFinishGroup
        fields = [
            "code",
            "name",
            "priority",
            "remit",
            "start_date",
            "end_date",
            "schools",
            "people",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = open_schools()
        self.fields["schools"].label_from_instance = lambda school: school.name
        self.fields["people"].queryset = self.fields["people"].queryset.filter(is_active=True)
        self.fields["people"].required = False

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] <= data["start_date"]
        ):
            self.add_error("end_date", "The group must end after it starts")
        return data


class DayAllocationForm(forms.ModelForm):
    class Meta:
        model = DayAllocation
        fields = ["designation", "days", "day_rate"]
        labels = {"day_rate": "Day rate (£)"}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days <= 0:
            raise ValidationError("Days must be more than 0")
        return days

    def clean_day_rate(self):
        rate = self.cleaned_data["day_rate"]
        if rate < 0:
            raise ValidationError("The day rate must not be negative")
        return rate

    def clean_designation(self):
        designation = self.cleaned_data["designation"]
        if DayAllocation.objects.filter(group=self.group, designation=designation).exists():
            raise ValidationError("This group already has an allocation for this designation")
        return designation


class DaysUsedForm(forms.ModelForm):
    class Meta:
        model = TaskGroupDays
        fields = ["designation", "date", "days", "day_rate", "note"]
        widgets = {"date": DateInput()}
        labels = {"day_rate": "Day rate (£)", "date": "Date the days were used"}

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days <= 0:
            raise ValidationError("Days must be more than 0")
        return days

    def clean_day_rate(self):
        rate = self.cleaned_data["day_rate"]
        if rate < 0:
            raise ValidationError("The day rate must not be negative")
        return rate


class ProgressReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["date", "rag", "summary"]
        widgets = {"date": DateInput(), "rag": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no empty "---------" choice: the field is required.
        self.fields["rag"].choices = ProgressReport.Rag.choices


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "made_on"]
        labels = {"text": "Recommendation"}
        widgets = {"made_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}


class ClosingReportForm(forms.Form):
    closing_report = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
