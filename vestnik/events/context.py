"""What an event page's template needs beyond the page (registered in `apps.py`).

Everything here is the same for every reader, since the page is cached whole.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from vestnik.events.forms import HONEYPOT_FIELD, RegistrationForm
from vestnik.events.models import EventPage
from vestnik.events.selectors import EventPeople, event_links, event_people
from vestnik.events.services import registration_refusal
from vestnik.events.structured_data import event_json_ld, json_ld_script


def event_page_context(page: EventPage, request: HttpRequest) -> dict[str, Any]:
    # Who speaks, what it links to and its JSON-LD change only with a publish:
    # read on first use, so the template's fragments (kept per content
    # generation) make none of their queries. Registration state and the time
    # are read on every render.
    people = SimpleLazyObject(lambda: event_people(page))
    source = page.registration_event()
    now = timezone.now()
    refusal = registration_refusal(source, now=now)
    return {
        "people": people,
        "links": SimpleLazyObject(lambda: event_links(page)),
        "has_ended": page.has_ended(now),
        "under_way": page.start <= now < page.end,
        # The lazy people stand in for themselves (SimpleLazyObject proxies them).
        "event_json_ld": lambda: json_ld_script(
            event_json_ld(page, cast(EventPeople, people), request)
        ),
        "registration_form": RegistrationForm(event=page) if refusal is None else None,
        # Why not, for an event that takes or took registrations (one that
        # never did says nothing about it).
        "registration_refusal": refusal
        if refusal is not None and (source.registration_open or source.registrations.exists())
        else None,
        "honeypot_field": HONEYPOT_FIELD,
        "register_url": reverse("events:register", kwargs={"event_id": page.pk}),
        "register_start_url": reverse("events:register_start", kwargs={"event_id": page.pk}),
        "ics_url": reverse("events:ics", kwargs={"event_id": page.pk}),
    }
