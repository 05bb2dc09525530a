"""The coordinator's page for practitioners' day rates by designation and the brokerage split."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from partnership.permissions import role_required
from partnership.roles import Role

from .forms_brokerage import DayRatesForm, rate_field_name
from .models import Practitioner
from .services_brokerage import set_day_rates


@role_required(Role.COORDINATOR)
def day_rates(request):
    form = DayRatesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        set_day_rates(
            rates=form.rates(), partnership_percent=form.cleaned_data["partnership_percent"]
        )
        messages.success(request, "Day rates and brokerage split saved")
        return redirect("partnership_settings")
    return render(
        request,
        "offers/catalogue/day_rates.html",
        {
            "form": form,
            "rate_fields": [
                form[rate_field_name(designation)]
                for designation in Practitioner.Designation.values
            ],
            "breadcrumbs": [
                ("Partnership", reverse("partnership_settings")),
                ("Day rates and brokerage", None),
            ],
        },
    )
