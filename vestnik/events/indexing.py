"""An event as search and insights read it (`core.indexing`): its lead, its
description and, once it took place, the transcript or write-up; the experts
who spoke are its authors, so an expert's filter in search finds their events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vestnik.articles.text import html_text
from vestnik.core.indexing import IndexedPart, IndexedText, indexed_page_register

if TYPE_CHECKING:
    from vestnik.events.models import EventPage


def describe_event(page: EventPage) -> IndexedText:
    parts = [
        IndexedPart("lead", page.lead),
        IndexedPart("paragraph", html_text(page.description)),
        IndexedPart("paragraph", html_text(page.write_up)),
    ]
    return IndexedText(
        title=page.title,
        language=page.language,
        date=timezone.localtime(page.start).date(),
        parts=tuple(part for part in parts if part.text.strip()),
        authors=tuple(
            dict.fromkeys(
                participant.expert_id
                for participant in page.participants.all()
                if participant.expert_id is not None
            )
        ),
        countries=tuple(page.countries.values_list("pk", flat=True)),
        topics=tuple(page.topics.values_list("pk", flat=True)),
    )


def register() -> None:
    from vestnik.events.models import EventPage  # models load after apps.py

    indexed_page_register(EventPage, kind="event", label=_("Event"), describe=describe_event)
