"""A person's calendar feed: the page with their private address, and the feed itself."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import calendar_feed
from .permissions import role_required
from .roles import Role

UPCOMING = 10


def _address(request, feed) -> str:
    path = reverse("calendar_feed", args=[feed.key, calendar_feed.token_for(feed.key)])
    return request.build_absolute_uri(path)


@role_required(*Role)
@never_cache
def calendar_page(request):
    """Where a person finds their feed's address, and resets it if it was shared."""
    if request.method == "POST":
        calendar_feed.reset_feed(request.user)
        messages.success(
            request, "Your calendar has a new address. The old address no longer works."
        )
        return redirect("calendar")
    feed = calendar_feed.feed_for(request.user)
    events = calendar_feed.upcoming(calendar_feed.events_for(request.user))[:UPCOMING]
    return render(
        request,
        "partnership/calendar.html",
        {"address": _address(request, feed), "events": events, "feed": feed},
    )


@require_GET
@never_cache
def calendar_ics(request, key: uuid.UUID, token: str):
    """The feed a calendar app subscribes to: no sign-in (calendar apps cannot), so the
    secret address is the only key, and a wrong one is simply not found."""
    feed = calendar_feed.feed_named(key, token)
    if feed is None:
        raise Http404("No calendar at this address")
    body = calendar_feed.ical(feed.user, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partnership.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
