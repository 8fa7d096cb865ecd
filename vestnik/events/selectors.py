"""Reads about events: listings, the archive, the calendar, a page's people and links.

The index page's own listings are its methods (`EventIndexPage.upcoming_events`
and friends). Every read that a reader's request reaches goes through `visible_to_public`:
drafts and pages behind a password or login are never listed, registrable or
in the calendar feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from wagtail.models import Page
from wagtail.query import PageQuerySet

from vestnik.authors.models import Expert
from vestnik.core.locales import in_language
from vestnik.core.selectors import visible_to_public
from vestnik.events.models import (
    EventPage,
    EventParticipant,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)


def _events() -> PageQuerySet:
    return visible_to_public(EventPage.objects.all())


def public_events(*, language: str | None = None) -> PageQuerySet:
    """Events an anonymous reader may see, in the reader's language (or `language`)."""
    return in_language(_events(), language)


def events_with_expert(expert: Expert, *, language: str | None = None) -> PageQuerySet:
    """Public events the expert speaks at or moderates, the latest start first."""
    return (
        public_events(language=language)
        .filter(participants__expert=expert)
        .distinct()
        .order_by("-start", "-pk")
    )


def events_for_calendar(language: str | None = None) -> list[EventPage]:
    """The calendar feed: upcoming events in the reader's language (or `language`)."""
    return list(
        in_language(_events(), language).filter(end__gt=timezone.now()).order_by("start", "pk")
    )


def public_event_or_404(event_id: int) -> EventPage:
    """An event a reader may see, by id; drafts and private events are not found."""
    event = _events().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


@dataclass(frozen=True)
class EventPeople:
    speakers: list[EventParticipant]
    moderators: list[EventParticipant]


def event_people(event: EventPage) -> EventPeople:
    participants = list(event.participants.select_related("expert", "expert__photo"))
    return EventPeople(
        speakers=[p for p in participants if p.role == ParticipantRole.SPEAKER],
        moderators=[p for p in participants if p.role == ParticipantRole.MODERATOR],
    )


@dataclass(frozen=True)
class EventLinks:
    publications: list[Page]
    articles: list[Page]
    resulting_publication: Page | None


def event_links(event: EventPage) -> EventLinks:
    """The related pages a reader may see, split by type, and the resulting publication."""
    ids = [item.related_id for item in event.related_pages.all()]
    if event.resulting_publication_id:
        ids.append(event.resulting_publication_id)
    pages = {
        page.pk: page.specific
        for page in visible_to_public(Page.objects.filter(pk__in=ids)).select_related(
            "content_type"
        )
    }
    related = [pages[pk] for pk in ids[: len(event.related_pages.all())] if pk in pages]
    resulting = pages.get(event.resulting_publication_id or 0)
    return EventLinks(
        publications=[
            p
            for p in related
            if p._meta.label == "publications.PublicationPage" and p is not resulting
        ],
        articles=[p for p in related if p._meta.label == "articles.ArticlePage"],
        resulting_publication=resulting,
    )


def event_registrations(event: EventPage) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event.registration_event()).order_by(
        "created_at", "pk"
    )


def seats_taken(event: EventPage) -> int:
    return event_registrations(event).filter(status=RegistrationStatus.CONFIRMED).count()
