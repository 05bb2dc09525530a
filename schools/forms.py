import re

from django import forms
from django.utils import timezone

from partnership.models import User
from partnership.widgets import PickedDateField

from .models import SchoolContact

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# The national GIAS download is about 60 MB; an LA's extract is a few hundred kB.
GIAS_UPLOAD_MAX_BYTES = 100 * 1024 * 1024
LA_CODE = re.compile(r"\d{3}")


class GiasImportForm(forms.Form):
    file = forms.FileField(
        label="GIAS establishment file (CSV)",
        help_text=(
            "The establishment download from Get Information About Schools "
            "(edubasealldata), as downloaded."
        ),
    )
    la_codes = forms.CharField(
        label="Local authority codes",
        required=False,
        help_text=(
            "Only import schools of these local authorities, for example 312. Separate "
            "several with spaces or commas. Leave blank to import every school in the file."
        ),
    )
    census_date = PickedDateField(
        label="Census date",
        named="the census date",
        required=False,
        help_text=(
            "Record the file's pupil numbers as the count at this census, for example the "
            "January census. Leave blank to leave pupil counts as they are."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > GIAS_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 100 MB")
        return file

    def clean_census_date(self):
        day = self.cleaned_data["census_date"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(
                "The census date must be today or in the past: a census counts pupils "
                "who are on roll"
            )
        return day

    def clean_la_codes(self):
        codes = [code for code in re.split(r"[\s,]+", self.cleaned_data["la_codes"]) if code]
        wrong = [code for code in codes if not LA_CODE.fullmatch(code)]
        if wrong:
            raise forms.ValidationError(
                "Local authority codes must be 3 digits, like 312 (not " + ", ".join(wrong) + ")"
            )
        return codes


class CausingConcernForm(forms.Form):
    causing_concern = forms.TypedChoiceField(
        label="Is this school causing concern?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the school is causing concern"},
    )
    reason = forms.CharField(
        label="Why the school is causing concern",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the Ofsted category or the standards that are below floor.",
    )
    since = forms.DateField(
        label="Causing concern since",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text="For example, 15/01/2026",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("causing_concern"):
            if not (cleaned.get("reason") or "").strip() and "reason" not in self.errors:
                self.add_error("reason", "Enter why the school is causing concern")
            since = cleaned.get("since")
            if since is None and "since" not in self.errors:
                self.add_error("since", "Enter the date the school began causing concern")
            elif since is not None and since > timezone.localdate():
                self.add_error(
                    "since",
                    "The date the school began causing concern must be today or in the past",
                )
        return cleaned

    @classmethod
    def for_school(cls, school, data=None):
        initial = {
            "causing_concern": "yes" if school.causing_concern else "no",
            "reason": school.concern_reason,
            "since": school.concern_since,
        }
        return cls(data, initial=initial)


DUTIES = (
    ("finance", "Finance contact: invoices are sent to them"),
    ("cpd", "CPD lead: copied on booking confirmations"),
)


class ContactRoleForm(forms.Form):
    """A contact's role at the school, job title and duties (shared by every contact form)."""

    role = forms.ChoiceField(
        label="Role at the school",
        choices=SchoolContact.Role.choices,
        widget=forms.RadioSelect,
    )
    position = forms.CharField(
        label="Job title",
        max_length=100,
        required=False,
        help_text="For example, Deputy headteacher. Leave blank to use the role.",
    )
    duties = forms.MultipleChoiceField(
        label="Duties",
        choices=DUTIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Select all that apply. Without a finance contact, invoices go to the headteacher."
        ),
    )

    def contact_fields(self) -> dict:
        """The cleaned role, job title and duties as the contact's own fields."""
        duties = self.cleaned_data.get("duties") or []
        return {
            "role": self.cleaned_data["role"],
            "position": self.cleaned_data["position"],
            "is_finance_contact": "finance" in duties,
            "is_cpd_lead": "cpd" in duties,
        }

    @staticmethod
    def initial_for(contact) -> dict:
        return {
            "role": contact.role,
            "position": contact.position,
            "duties": [
                duty
                for duty, held in (
                    ("finance", contact.is_finance_contact),
                    ("cpd", contact.is_cpd_lead),
                )
                if held
            ],
        }


class SchoolContactInviteForm(ContactRoleForm):
    """A school user with a portal account: they sign in and act for the school."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address")
    field_order = ["first_name", "last_name", "email", "role", "position", "duties"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account")
        return email


class SchoolContactForm(ContactRoleForm):
    """A contact without a portal account (or, with `account` False, changing one)."""

    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Where the partnership writes to them, if they should get emails.",
    )
    field_order = ["name", "email", "role", "position", "duties"]

    def __init__(self, *args, with_name=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_name:  # someone with an account: their name and email are their account's
            del self.fields["name"]
            del self.fields["email"]

    def contact_fields(self) -> dict:
        fields = super().contact_fields()
        if "name" in self.fields:
            fields.update(name=self.cleaned_data["name"], email=self.cleaned_data["email"])
        return fields


class ContactLeftForm(forms.Form):
    left_on = forms.DateField(
        label="Date they left",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text="For example, 31/08/2026",
        error_messages={"invalid": "Enter the date they left as a real date, like 31/08/2026"},
    )

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > timezone.localdate():
            raise forms.ValidationError("The date they left must be today or in the past")
        return left_on
