"""Forms for agreeing a piece of support's objectives and reviewing them."""

from django import forms

from .models import SupportObjective

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class ObjectiveForm(forms.Form):
    objective = forms.CharField(
        label="Objective",
        max_length=1000,
        help_text="What the school and the partnership agreed the support should achieve.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the objective",
            "max_length": "The objective must be 1,000 characters or fewer",
        },
    )
    expected_impact = forms.CharField(
        label="Expected impact",
        max_length=1000,
        help_text="What will be different, and how you will know. For example, "
        "more pupils reaching the expected standard in reading.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the expected impact",
            "max_length": "The expected impact must be 1,000 characters or fewer",
        },
    )
    agreed_on = forms.DateField(
        label="Agreed on",
        help_text="For example, 27/01/2027.",
        input_formats=DATE_INPUTS,
        error_messages={
            "required": "Enter the date the objective was agreed",
            "invalid": "Enter the date the objective was agreed, like 27/01/2027",
        },
    )


class ReviewForm(forms.Form):
    rating = forms.ChoiceField(
        label="Was the objective met?",
        choices=[
            (SupportObjective.Rating.GREEN, "Met"),
            (SupportObjective.Rating.AMBER, "Partly met"),
            (SupportObjective.Rating.RED, "Not met"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the objective was met, partly met or not met",
            "invalid_choice": "Choose whether the objective was met, partly met or not met",
        },
    )
    evidence = forms.CharField(
        label="Evidence",
        max_length=2000,
        help_text="What you saw or measured: data, work scrutiny, observations.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the evidence for the judgement",
            "max_length": "The evidence must be 2,000 characters or fewer",
        },
    )
    reviewed_on = forms.DateField(
        label="Reviewed on",
        help_text="For example, 27/01/2027.",
        input_formats=DATE_INPUTS,
        error_messages={
            "required": "Enter the date of the review",
            "invalid": "Enter the date of the review, like 27/01/2027",
        },
    )
