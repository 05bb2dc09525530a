import re

from django import forms
from django.utils import timezone

from partnership.models import User

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
    census_date = forms.DateField(
        label="Census date",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text=(
            "Record the file's pupil numbers as the count at this census, for example "
            "15/01/2026. Leave blank to leave pupil counts as they are."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > GIAS_UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 100 MB")
        return file

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


class SchoolContactInviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address")
    position = forms.CharField(
        max_length=100, help_text="For example, Headteacher or School business manager"
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account")
        return email
