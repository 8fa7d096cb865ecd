"""How an event's time reads: «12 марта 2026, 15:00–17:00 (МСК)».

Always in the site's time zone (settings.TIME_ZONE, Europe/Moscow by default)
and always saying which one, since readers of the English site are elsewhere.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format

# Zone abbreviations as a Russian reader writes them.
ZONE_NAMES_RU = {"MSK": "МСК"}


def event_date(moment: datetime.datetime, language: str) -> str:
    """The day as the site writes dates in `language` (`vestnik/formats`): «27 декабря 2026»."""
    with translation.override(language):
        return date_format(timezone.localtime(moment).date(), "DATE_FORMAT")


def zone_name(moment: datetime.datetime, language: str) -> str:
    name = timezone.localtime(moment).tzname() or ""
    return ZONE_NAMES_RU.get(name, name) if language == "ru" else name


def event_when(start: datetime.datetime, end: datetime.datetime, language: str) -> str:
    """The date and hours, with the zone; both dates when the event spans days."""
    first, last = timezone.localtime(start), timezone.localtime(end)
    zone = zone_name(start, language)
    if first.date() == last.date():
        text = f"{event_date(first, language)}, {first:%H:%M}–{last:%H:%M}"
    else:
        text = (
            f"{event_date(first, language)}, {first:%H:%M}"
            f" — {event_date(last, language)}, {last:%H:%M}"
        )
    return f"{text} ({zone})" if zone else text
