"""How an event's time reads: «12 марта 2026, 15:00–17:00 (МСК)».

Always in the site's time zone (settings.TIME_ZONE, Europe/Moscow by default)
and always saying which one, since readers of the English site are elsewhere.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from vestnik.core.dates import MONTHS_EN, MONTHS_RU_GENITIVE

# Zone abbreviations as a Russian reader writes them.
ZONE_NAMES_RU = {"MSK": "МСК"}


def event_date(moment: datetime.datetime, language: str) -> str:
    local = timezone.localtime(moment)
    months = MONTHS_RU_GENITIVE if language == "ru" else MONTHS_EN
    return f"{local.day} {months[local.month - 1]} {local.year}"


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
