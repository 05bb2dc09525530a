"""The evaluation a delegate without an account returns from the link emailed to them."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import forms_bookings as forms
from . import services_attendance as attendance
from . import services_evaluation_links as links

TEMPLATE = "offers/cpd/delegate_evaluation.html"


@never_cache
def delegate_evaluation(request, token):
    """Open to whoever holds the link (the delegate has no account): the signed token is the
    permission, checked on every request, and it serves once."""
    try:
        place = links.place_for_token(token)
    except links.LinkRefused as refused:
        return render(request, TEMPLATE, {"refused": str(refused)}, status=refused.status)
    form = forms.EvaluationForm(request.POST or None, questions=attendance.evaluation_questions())
    returned = False
    if request.method == "POST" and form.is_valid():
        try:
            links.return_evaluation_from_link(
                token=token, ratings=form.ratings(), comments=form.cleaned_data["comments"]
            )
        except links.LinkRefused as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            returned = True
    # The address is the permission: the portal's Referrer-Policy (same-origin) never passes
    # it to another site. (no-referrer would make the browser post the form from Origin
    # "null", which the CSRF check rightly refuses.)
    return render(request, TEMPLATE, {"place": place, "form": form, "returned": returned})
