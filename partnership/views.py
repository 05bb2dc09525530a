import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tables2 import RequestConfig

from offers.selectors_catalogue import offer_overview

from .models import Partnership, User
from .navigation import dashboard_panels, settings_panels
from .permissions import (
    FINANCE_INVITE_REFUSED,
    OTHER_ROLES_REFUSED_TO_FINANCE,
    role_required,
    roles_they_may_invite,
)
from .public import public_page
from .roles import Role
from .services import invite_user
from .tables import PeopleTable

DASHBOARD_TITLES = {
    Role.HEADTEACHER: "Your school",
    Role.COORDINATOR: "Coordinator dashboard",
    Role.FINANCE: "Finance dashboard",
    Role.BOARD: "Board dashboard",
    Role.PRACTITIONER: "Your deployments",
}


# When the accessibility statement was written and last checked against the service.
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 12, 2)
ACCESSIBILITY_STATEMENT_REVIEWED = datetime.date(2026, 12, 2)


@public_page
def home(request):
    """Someone signed in goes to their dashboard; anyone else reads what the partnership
    offers and how to join."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html", offer_overview())


@public_page
def privacy(request):
    """The privacy notice: public, so anyone can read it before they sign in."""
    return render(request, "partnership/privacy.html")


@public_page
def accessibility(request):
    return render(
        request,
        "partnership/accessibility.html",
        {
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )


@public_page
def contact(request):
    return render(request, "partnership/contact.html")


@public_page
def join(request):
    return render(request, "partnership/join.html")


@login_required
def dashboard(request):
    """Each role lands on its own dashboard, built from the panels its apps offer."""
    role = request.user.role
    if role not in DASHBOARD_TITLES:
        raise PermissionDenied
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "title": DASHBOARD_TITLES[role],
            "role": role,
            "panels": dashboard_panels(request.user),
        },
    )


@role_required(Role.COORDINATOR, Role.FINANCE)
def partnership_settings(request):
    """What the partnership file set for the partnership as a whole (read only here)."""
    return render(
        request,
        "partnership/settings.html",
        {"details": Partnership.current(), "panels": settings_panels(request.user)},
    )


class WaitingListHoldForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["waiting_list_hold_hours"]
        labels = {"waiting_list_hold_hours": "Hours a place offered is held"}
        help_texts = {
            "waiting_list_hold_hours": "When a place becomes free, the next school on the "
            "waiting list has this long to accept it before it passes to the school after. "
            "Between 1 and 336 (14 days). Places already offered keep the hold they were given."
        }
        error_messages = {
            "waiting_list_hold_hours": {
                "required": "Enter the number of hours a place offered is held",
                "invalid": "Enter the number of hours as a whole number, like 48",
                "min_value": "Hold a place for 1 hour or more",
                "max_value": "Hold a place for 336 hours (14 days) or fewer",
            }
        }
        widgets = {
            "waiting_list_hold_hours": forms.NumberInput(
                attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
            )
        }


@role_required(Role.COORDINATOR)
def waiting_list_hold(request):
    """The coordinator sets how long a place offered from a waiting list is held."""
    partnership = Partnership.current()
    if partnership is None:
        return redirect("partnership_settings")
    form = WaitingListHoldForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        partnership = form.save(commit=False)
        partnership._change_reason = "Waiting list hold changed on the settings page"
        partnership.save()
        hours = partnership.waiting_list_hold_hours
        messages.success(
            request, f"A place offered from a waiting list is now held for {hours} hours"
        )
        return redirect("partnership_settings")
    return render(
        request,
        "partnership/waiting_list_hold.html",
        {
            "form": form,
            "breadcrumbs": [
                ("Partnership settings", reverse("partnership_settings")),
                ("Waiting lists", ""),
            ],
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
def people(request):
    table = PeopleTable(User.objects.filter(is_active=True))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "partnership/people.html", {"table": table})


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in Role if r != Role.HEADTEACHER],
        help_text="School users are invited from their school's page.",
    )
    job_title = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_roles = roles_they_may_invite(inviter)
        # Offer only the roles this person may give; clean_role refuses the others by name.
        self.fields["role"].widget.choices = [
            (r.value, r.label) for r in Role if r in self.allowed_roles
        ]
        if self.allowed_roles == [Role.FINANCE]:
            self.fields["role"].help_text = "Finance officers invite finance officers."

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Someone with this email address already has an account")
        return email

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role not in self.allowed_roles:
            raise forms.ValidationError(
                FINANCE_INVITE_REFUSED if role == Role.FINANCE else OTHER_ROLES_REFUSED_TO_FINANCE
            )
        return role


@role_required(Role.COORDINATOR, Role.FINANCE)
def invite(request):
    form = InviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        user = invite_user(invited_by=request.user, request=request, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {user.email}")
        # Finance officers do not manage people: back to their dashboard.
        return redirect("people" if request.user.role == Role.COORDINATOR else "dashboard")
    return render(request, "partnership/invite.html", {"form": form})
