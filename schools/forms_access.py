"""Forms of the public school search and of requests for access."""

from django import forms

from . import rules
from .models import AccessRequest

# How a person says what they do at the school; "Other" asks them to say.
ROLE_HINT = "If you hold more than one role, choose the one you will mostly use the portal for."


class FindSchoolForm(forms.Form):
    """A school by what someone types: its name, URN or postcode (rules.read_school_search)."""

    q = forms.CharField(
        label="School name, URN or postcode",
        help_text="For example Brookfield, 102401 or UB8 3PJ",
        max_length=100,
        error_messages={"required": "Enter your school's name, URN or postcode"},
    )

    def clean_q(self):
        search = rules.read_school_search(self.cleaned_data["q"])
        if search.problem:
            raise forms.ValidationError(search.problem)
        return search


class AccessRequestForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter your last name"},
    )
    role_at_school = forms.ChoiceField(
        label="Your role at the school",
        help_text=ROLE_HINT,
        choices=AccessRequest.RoleAtSchool.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your role at the school"},
    )
    other_role = forms.CharField(
        label="Your role, if you chose Other",
        max_length=100,
        required=False,
        help_text="For example deputy headteacher or office manager.",
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="Your school email address. We will send your invitation here.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter your work email address in the right format, like name@school.sch.uk",
        },
    )
    # A field people never see (hidden from sight and from screen readers, and skipped by
    # the keyboard); forms that fill it in are filled in by a program.
    website = forms.CharField(label="Leave this blank", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("role_at_school") == AccessRequest.RoleAtSchool.OTHER
            and not (cleaned.get("other_role") or "").strip()
        ):
            self.add_error("other_role", "Enter your role at the school")
        return cleaned

    @property
    def is_from_a_program(self) -> bool:
        return bool(self.data.get("website"))


class DeclineAccessForm(forms.Form):
    reason = forms.CharField(
        label="Reason for declining",
        help_text="We email this to the person, with a polite note of who to contact.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the reason for declining"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for declining")
        return reason
