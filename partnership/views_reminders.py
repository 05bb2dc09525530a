"""The emails a person is sent as reminders, and turning each kind on or off."""

from django.contrib import messages
from django.shortcuts import redirect, render

from . import reminders
from .permissions import role_required
from .roles import Role


@role_required(*Role)
def reminder_choices(request):
    kinds = reminders.kinds_for(request.user)
    if request.method == "POST":
        offered = {kind.kind for kind in kinds}
        wanted = set(request.POST.getlist("wanted")) & offered
        reminders.choose(request.user, wanted)
        messages.success(request, "Your reminder emails are saved")
        return redirect("reminder_choices")
    off = reminders.turned_off(request.user)
    return render(
        request,
        "partnership/reminders.html",
        {"kinds": [(kind, kind.kind not in off) for kind in kinds]},
    )
