"""A person's data for the coordinator: find them, see and download what the portal holds
about them (subject access), and erase it after a check page. Coordinators only."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import personal_data
from .models import PersonalDataRequest, User
from .permissions import role_required
from .roles import Role
from .words import count_of

MOST_FOUND = 20


class FindForm(forms.Form):
    q = forms.CharField(
        label="Name or email address of someone with an account or a school contact",
        max_length=200,
        required=False,
    )


class NamedPersonForm(forms.Form):
    """Someone named on records without an account: a delegate, a seat holder, a nominee."""

    name = forms.CharField(label="Full name", max_length=200, required=False)
    email = forms.EmailField(label="Email address", max_length=254, required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("name") or cleaned.get("email")):
            self.add_error("name", "Enter the person's full name or email address")
        return cleaned


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked this is the right person and that nothing here must be kept",
        error_messages={"required": "Confirm you have checked this is the right person"},
    )


@role_required(Role.COORDINATOR)
def find(request):
    """Find the person: accounts by name or email; anyone else by the name or email the
    records hold. Lists the latest requests made."""
    form = FindForm(request.GET or None)
    found = None
    contacts = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        words = form.cleaned_data["q"].split()
        accounts = User.objects.all()
        for word in words:
            accounts = accounts.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        found = list(accounts.order_by("last_name", "first_name", "email")[: MOST_FOUND + 1])
        contacts = _contacts_without_account(words)
    requests = PersonalDataRequest.objects.select_related("user", "made_by")[:MOST_FOUND]
    return render(
        request,
        "partnership/personal_data_find.html",
        {
            "form": form,
            "found": found[:MOST_FOUND] if found is not None else None,
            "more": found is not None and len(found) > MOST_FOUND,
            "named_form": NamedPersonForm(),
            "contacts": contacts,
            "requests": requests,
        },
    )


def _contacts_without_account(words) -> list:
    """School contacts recorded without an account (a chair of governors, a business
    manager who never signs in) whose name or email address has every word typed."""
    from schools.models import SchoolContact

    contacts = SchoolContact.objects.filter(user__isnull=True)
    for word in words:
        contacts = contacts.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return list(contacts.select_related("school").order_by("name", "email", "pk")[:MOST_FOUND])


@role_required(Role.COORDINATOR)
def person(request, pk):
    user = get_object_or_404(User, pk=pk)
    subject = personal_data.Subject.of(user)
    return render(
        request,
        "partnership/personal_data_person.html",
        {
            "person": user,
            "subject": subject,
            "erased": personal_data.is_erased(user),
            "sections": personal_data.held(subject),
        },
    )


@role_required(Role.COORDINATOR)
def download(request, pk):
    user = get_object_or_404(User, pk=pk)
    return _download(personal_data.Subject.of(user), by=request.user)


@role_required(Role.COORDINATOR)
def download_pdf(request, pk):
    user = get_object_or_404(User, pk=pk)
    return _download_pdf(personal_data.Subject.of(user), by=request.user)


@role_required(Role.COORDINATOR)
def erase(request, pk):
    user = get_object_or_404(User, pk=pk)
    if personal_data.is_erased(user):
        messages.info(request, "This person's data has already been erased")
        return redirect("personal_data")
    form_data = request.POST if request.method == "POST" else None
    return _erase(request, personal_data.Subject.of(user), form_data=form_data)


@role_required(Role.COORDINATOR)
def named(request):
    """Someone without an account, by the name and/or email the records hold. Their
    name travels in the form, never in the address, so it stays out of server logs."""
    if request.method != "POST":
        return render(request, "partnership/personal_data_named.html", {"form": NamedPersonForm()})
    form = NamedPersonForm(request.POST)
    if not form.is_valid():
        return render(request, "partnership/personal_data_named.html", {"form": form})
    subject = personal_data.Subject(
        name=form.cleaned_data["name"].strip(), email=form.cleaned_data["email"].strip()
    )
    step = request.POST.get("step", "")
    if step == "download":
        return _download(subject, by=request.user)
    if step == "download_pdf":
        return _download_pdf(subject, by=request.user)
    if step in ("check", "erase"):
        return _erase(
            request, subject, form_data=request.POST if step == "erase" else None, named=form
        )
    return render(
        request,
        "partnership/personal_data_person.html",
        {"subject": subject, "sections": personal_data.held(subject), "named_form": form},
    )


def _download(subject, *, by):
    document = personal_data.export(subject, by=by)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


def _download_pdf(subject, *, by):
    response = HttpResponse(
        personal_data.export_pdf(subject, by=by), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="personal-data-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response


def _erase(request, subject, *, form_data, named=None):
    form = EraseForm(form_data)
    if form_data is not None and form.is_valid():
        try:
            changed = personal_data.erase(subject, by=request.user)
        except personal_data.ErasureRefused:
            pass  # the check page below says why
        else:
            messages.success(
                request, f"Their personal data has been erased ({_records(changed)} changed)"
            )
            return redirect("personal_data")
    return render(
        request,
        "partnership/personal_data_erase.html",
        {
            "subject": subject,
            "form": form,
            "named_form": named,
            "sections": personal_data.held(subject),
            "refusals": personal_data.refusals(subject, by=request.user),
        },
    )


def _records(count):
    return count_of(count, "record")
