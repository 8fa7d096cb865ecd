"""Events for tests and the demo: an index under a home page, events under it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wagtail.models import Page

from vestnik.core.text import latin_slug
from vestnik.events.models import EventIndexPage, EventPage, EventParticipant, EventQuestion


def events_index(home: Page, *, title: str = "Мероприятия", slug: str = "events") -> EventIndexPage:
    existing = EventIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    index = EventIndexPage(title=title, slug=slug)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def event_page(
    index: EventIndexPage,
    *,
    title: str = "Круглый стол о каспийском транзите",
    start: datetime.datetime | None = None,
    hours: float = 2,
    publish: bool = True,
    participants: list[dict[str, Any]] | None = None,
    questions: list[str] | None = None,
    **fields: Any,
) -> EventPage:
    start = start or (timezone.now() + datetime.timedelta(days=7)).replace(
        minute=0, second=0, microsecond=0
    )
    event = EventPage(
        title=title,
        slug=fields.pop("slug", latin_slug(title)),
        start=start,
        end=start + datetime.timedelta(hours=hours),
        lead=fields.pop("lead", "Обсуждаем новые маршруты."),
        live=publish,
        **fields,
    )
    index.add_child(instance=event)
    for order, person in enumerate(participants or []):
        event.participants.add(EventParticipant(sort_order=order, **person))
    for order, label in enumerate(questions or []):
        event.questions.add(EventQuestion(label=label, sort_order=order))
    revision = event.save_revision()
    if publish:
        revision.publish()
        event.refresh_from_db()
    return event
