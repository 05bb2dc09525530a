from django import forms

from offers.models import Tier

from .models import ExpressionOfInterest


class ExpressionOfInterestForm(forms.Form):
    intent = forms.ChoiceField(
        label="Does your school intend to join the partnership this year?",
        choices=ExpressionOfInterest.Intent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your school intends to join"},
    )
    preferred_tier = forms.ModelChoiceField(
        label="Which membership are you most interested in?",
        queryset=Tier.objects.none(),
        required=False,
        empty_label="No preference yet",
    )
    notes = forms.CharField(
        label="Anything the partnership should know",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_tier"].queryset = tiers


class AgreementForm(forms.Form):
    """The costed agreement. Only tiers with a fee for this school can be chosen; the page
    renders the tier radios itself so each shows its fee, basis and what it includes."""

    tier = forms.ChoiceField(
        label="Membership",
        error_messages={
            "required": "Select the membership your school is signing up for",
            "invalid_choice": "Select a membership that can be costed for your school",
        },
    )
    purchase_order = forms.CharField(
        label="Purchase order number",
        required=False,
        max_length=50,
        help_text="If your school raises one, we will put it on the invoice.",
    )
    accept_terms = forms.BooleanField(
        label="I accept the terms of membership on behalf of the school and confirm the fee above",
        error_messages={"required": "Confirm that you accept the terms of membership"},
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["tier"].choices = [(o.tier.code, o.tier.name) for o in options if o.quote.ok]

    def chosen_option(self):
        code = self.cleaned_data["tier"]
        return next(o for o in self.options if o.tier.code == code)


class DecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve: the membership becomes active"), (DECLINE, "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or decline"},
    )
    reason = forms.CharField(
        label="Reason for declining",
        help_text="Sent to the school. Needed only when you decline.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for declining")
        return cleaned


class LapseForm(forms.Form):
    year = forms.ChoiceField(label="Finished membership year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.academic_year, y.academic_year) for y in years]


class BuyBackWindowForm(forms.Form):
    """When members may renew for next year, change membership or say they are leaving."""

    opens = forms.DateField(
        label="Buy-back opens",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date buy-back opens",
            "invalid": "Enter the date buy-back opens as a real date",
        },
    )
    closes = forms.DateField(
        label="Buy-back closes",
        help_text="After this day only you can change a school's renewal.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date buy-back closes",
            "invalid": "Enter the date buy-back closes as a real date",
        },
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "Buy-back must close on or after the day it opens")
        return cleaned
