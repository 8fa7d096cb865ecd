"""`{% event_when event %}`: the event's date and hours, with the zone, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from vestnik.events.models import EventPage
from vestnik.events.presentation import event_when as _event_when

register = template.Library()


@register.simple_tag
def event_when(event: EventPage) -> str:
    return _event_when(event.start, event.end, get_language() or "ru")
