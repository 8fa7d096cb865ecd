"""schema.org/Event JSON-LD for an event page (https://schema.org/Event).

Printed by the event's template beside the site's own metadata, as its own
`<script type="application/ld+json">`.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from vestnik.core.site_identity import site_name
from vestnik.events.models import EventPage
from vestnik.events.selectors import EventPeople


def _person(participant: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": participant.display_name}
    if participant.display_affiliation:
        person["affiliation"] = {"@type": "Organization", "name": participant.display_affiliation}
    return person


def event_json_ld(event: EventPage, people: EventPeople, request: HttpRequest) -> dict[str, Any]:
    url = event.get_full_url(request) or ""
    if event.place and event.online_url:
        mode = "https://schema.org/MixedEventAttendanceMode"
    elif event.online_url:
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
    locations: list[dict[str, Any]] = []
    if event.place:
        locations.append({"@type": "Place", "name": event.place, "address": event.place})
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    root = request.build_absolute_uri("/")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        # With the offset: «2026-03-12T15:00:00+03:00».
        "startDate": timezone.localtime(event.start).isoformat(),
        "endDate": timezone.localtime(event.end).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "inLanguage": event.event_language,
        "organizer": {"@type": "Organization", "name": site_name(request), "url": root},
    }
    description = " ".join(strip_tags(event.lead or event.description or "").split())
    if description:
        data["description"] = description
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    performers = [_person(p) for p in [*people.speakers, *people.moderators]]
    if performers:
        data["performer"] = performers
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """JSON safe inside `<script>`: «<», «>» and «&» escaped as `json_script` does."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 (escaped for a script element above)
