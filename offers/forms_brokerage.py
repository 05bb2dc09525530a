from decimal import Decimal

from django import forms

from .forms_catalogue import MoneyField
from .models import DayRate, Practitioner

RATE_LIMIT = Decimal("10000")


def rate_field_name(designation: str) -> str:
    return f"rate_{designation}"


class DayRatesForm(forms.Form):
    """Each designation's day rate (blank: none) and the share the partnership keeps."""

    partnership_percent = forms.DecimalField(
        label="Share kept by the partnership (%)",
        help_text="The practitioner's home school is paid the rest of the day rate.",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the share kept by the partnership",
            "invalid": "Enter the share kept by the partnership as a number, like 15",
            "min_value": "Enter a share of 0%% or more",
            "max_value": "Enter a share of 100%% or less",
            "max_decimal_places": "Enter the share to at most 2 decimal places, like 12.5",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rates = {rate.designation: rate for rate in DayRate.objects.all()}
        shares = {rate.partnership_percent for rate in rates.values()}
        if len(shares) == 1:
            self.fields["partnership_percent"].initial = shares.pop().normalize()
        for designation, label in Practitioner.Designation.choices:
            name = rate_field_name(designation)
            self.fields[name] = MoneyField(
                what=f"the {designation} day rate",
                label=f"{label} day rate (£)",
                required=False,
                help_text="Leave blank for no rate: their days cost their own day cost.",
            )
            if designation in rates:
                self.fields[name].initial = rates[designation].day_rate

    def clean(self):
        cleaned = super().clean()
        for designation, _ in Practitioner.Designation.choices:
            name = rate_field_name(designation)
            rate = cleaned.get(name)
            if rate is not None and rate >= RATE_LIMIT:
                self.add_error(name, f"Enter the {designation} day rate under £10,000")
        return cleaned

    def rates(self) -> dict:
        return {
            designation: self.cleaned_data.get(rate_field_name(designation))
            for designation, _ in Practitioner.Designation.choices
        }
