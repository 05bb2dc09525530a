"""Each person's private calendar feed: their sessions, deployments and meetings.

Each app may have a `calendar.py` with `events(user, start, end) -> list[CalendarEvent]`
for the dates it owns; this module gathers them (as navigation.py gathers menus), keeps the
feed's secret address, and writes the iCalendar file that Outlook, Google and Apple
calendars subscribe to.
"""

import datetime
import uuid
from dataclasses import dataclass
from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from icalendar import Calendar, Event

from .models import CalendarFeed, Partnership
from .navigation import APPS

LONDON = ZoneInfo("Europe/London")
# ASSUMPTION: a quarter back and a year ahead is what a diary needs; older dates stay on
# the portal's own pages.
DAYS_BACK = 92
DAYS_AHEAD = 400


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across downloads, so a calendar updates an event instead of copying it
    title: str
    starts: datetime.date | datetime.datetime
    ends: datetime.date | datetime.datetime | None = None
    location: str = ""
    description: str = ""
    path: str = ""  # the portal page about it


def feed_for(user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"key": uuid.uuid4()})
    return feed


def reset_feed(user) -> CalendarFeed:
    """A new address; the old one stops working."""
    feed = feed_for(user)
    feed.key = uuid.uuid4()
    feed.save()
    return feed


def token_for(key, secret=None) -> str:
    return salted_hmac(
        "partnership.calendar-feed", str(key), secret=secret, algorithm="sha256"
    ).hexdigest()[:32]


def feed_named(key, token) -> CalendarFeed | None:
    """The feed this address opens, if the token is right and its person may still sign in.
    Addresses made before the secret key was rotated keep working while the old key is in
    SECRET_KEY_FALLBACKS, as signed-in sessions do."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(constant_time_compare(token, token_for(key, secret)) for secret in secrets):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed


def events_for(user, today: datetime.date | None = None) -> list[CalendarEvent]:
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=DAYS_BACK)
    end = today + datetime.timedelta(days=DAYS_AHEAD)
    found = []
    for app in APPS:
        module_name = f"{app}.calendar"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        found.extend(module.events(user, start, end))
    return sorted(found, key=lambda event: (day_of(event.starts), str(event.starts), event.uid))


def day_of(moment) -> datetime.date:
    return moment.date() if isinstance(moment, datetime.datetime) else moment


def upcoming(events, today: datetime.date | None = None) -> list[CalendarEvent]:
    today = today or timezone.localdate()
    return [event for event in events if day_of(event.starts) >= today]


def _local(moment):
    if isinstance(moment, datetime.datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    return moment


def ical(user, base_url: str, today: datetime.date | None = None) -> bytes:
    """The person's events as an iCalendar file (RFC 5545)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Partnership portal//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    partnership = Partnership.current()
    name = partnership.name if partnership else "Partnership portal"
    calendar.add("x-wr-calname", f"{name}: {user.get_full_name() or user.email}")
    stamp = timezone.now()
    for item in events_for(user, today):
        event = Event()
        event.add("uid", f"{item.uid}@partnership-portal")
        event.add("dtstamp", stamp)
        event.add("summary", item.title)
        event.add("dtstart", _local(item.starts))
        if item.ends is not None:
            event.add("dtend", _local(item.ends))
        if item.location:
            event.add("location", item.location)
        description = item.description
        if item.path:
            event.add("url", base_url + item.path)
            description = f"{description}\n{base_url}{item.path}".strip()
        if description:
            event.add("description", description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
