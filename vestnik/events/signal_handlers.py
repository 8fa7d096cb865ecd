"""When an editor publishes an event with more seats, those waiting get them."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published

from vestnik.events.models import EventPage
from vestnik.events.services import waiting_list_move_up


def _seats_may_have_been_added(sender: Any, instance: EventPage, **kwargs: Any) -> None:
    # Only the first-language page holds the list; a translation's publish is a no-op.
    if instance.registration_event().pk == instance.pk and not instance.has_ended():
        waiting_list_move_up(event=instance)


def register() -> None:
    page_published.connect(
        _seats_may_have_been_added, sender=EventPage, dispatch_uid="vestnik-events-seats"
    )
