"""The API's own pages: the guide, and each person's tokens (made, shown once, revoked)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnership.permissions import role_required

from . import tokens
from .views import ACCOUNT_READERS, INVOICE_READERS, SCHOOL_READERS


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, the council's nightly reporting job.",
    )


def _endpoints_for(user):
    endpoints = [
        ("/api/v1/schools/", "Schools in the register", SCHOOL_READERS),
        ("/api/v1/memberships/", "Memberships", SCHOOL_READERS),
        ("/api/v1/invoices/", "Invoices", INVOICE_READERS),
        ("/api/v1/trading-account/", "Trading account", ACCOUNT_READERS),
    ]
    return [(url, label) for url, label, roles in endpoints if user.role in roles]


@role_required(*tokens.TOKEN_ROLES)
def guide(request):
    return render(
        request, "partnership/api_guide.html", {"endpoints": _endpoints_for(request.user)}
    )


@never_cache
@role_required(*tokens.TOKEN_ROLES)
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = tokens.create_token(user=request.user, name=form.cleaned_data["name"])
        # The token is shown in this response only, never redirected to or kept in a session.
        form = TokenForm()
    return render(
        request,
        "partnership/api_tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": tokens.tokens_of(request.user),
            "now": timezone.now(),
        },
    )


@role_required(*tokens.TOKEN_ROLES)
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(tokens.tokens_of(request.user), pk=pk)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, f"The token ‘{token.name}’ has been revoked. It no longer works.")
    return redirect("api_tokens")
