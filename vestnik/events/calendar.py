"""iCalendar (RFC 5545) for events: one event's `.ics` and the feed of upcoming ones.

The only module that speaks to the icalendar library. Times are written in
UTC (`…Z`), which every client reads without a VTIMEZONE block and shows in
the reader's own zone. The UID is the event's translation key, the same for
every language version and stable across edits; SEQUENCE grows when the time
or place changes, so a calendar that imported the event replaces its copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from vestnik.events.models import EventPage

PRODID = "-//Vestnik//Events//RU"


def _uid(event: EventPage, host: str) -> str:
    return f"event-{event.translation_key}@{host}"


def _component(event: EventPage, *, url: str, host: str) -> Event:
    item = Event()
    item.add("uid", _uid(event, host))
    stamp = event.last_published_at or event.latest_revision_created_at or timezone.now()
    item.add("dtstamp", stamp.astimezone(datetime.UTC))
    item.add("dtstart", event.start.astimezone(datetime.UTC))
    item.add("dtend", event.end.astimezone(datetime.UTC))
    item.add("sequence", event.schedule_sequence)
    item.add("summary", event.title)
    description = " ".join(strip_tags(event.lead or event.description or "").split())
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    if description:
        item.add("description", description)
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    item.add("url", url)
    item.add("status", "CONFIRMED")
    return item


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def event_ics(event: EventPage, *, url: str, host: str) -> bytes:
    """One event as a calendar file, for the download and the confirmation e-mail."""
    calendar = _calendar(event.title)
    calendar.add_component(_component(event, url=url, host=host))
    return bytes(calendar.to_ical())


def events_ics(events: Iterable[tuple[EventPage, str]], *, name: str, host: str) -> bytes:
    """A feed of (event, absolute URL) pairs that calendar clients subscribe to."""
    calendar = _calendar(name)
    # Clients poll a feed; this asks for no more than every few hours.
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event, url in events:
        calendar.add_component(_component(event, url=url, host=host))
    return bytes(calendar.to_ical())
