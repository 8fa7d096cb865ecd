"""What newsletters carry: the pages first published in a period, what each is about, its card.

Every page type search indexes (`core.indexing`: articles, analysis,
publications, events) is newsletter material; a page's describer says its
language, authors, countries and topics, which is what readers follow. Its
section is its parent page (a blog, /analytics/, /publications/, /events/),
named by translation key so a reader following a section in one language
follows it in the other too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from wagtail.models import Page

from vestnik.authors.models import Expert
from vestnik.core.indexing import IndexedText, indexed_type_of, indexed_types
from vestnik.core.selectors import visible_to_public


@dataclass(frozen=True)
class ItemFacts:
    """What a published page is about, as subscriptions match it."""

    page_id: int
    kind: str
    language: str
    published_at: datetime.datetime
    section_key: str
    authors: frozenset[int]
    countries: frozenset[int]
    topics: frozenset[int]


@dataclass(frozen=True)
class NewsletterItem:
    """One page as a message shows it."""

    page_id: int
    kind: str
    kind_label: str
    title: str
    lead: str
    url: str
    date: datetime.date
    authors: tuple[str, ...]


def _facts(page: Page, described: IndexedText, section_keys: dict[str, str]) -> ItemFacts:
    registered = indexed_type_of(page)
    return ItemFacts(
        page_id=page.pk,
        kind=registered.kind if registered else "",
        language=described.language,
        published_at=page.first_published_at or timezone.now(),
        section_key=section_keys.get(page.path[: -page.steplen], ""),
        authors=frozenset(described.authors),
        countries=frozenset(described.countries),
        topics=frozenset(described.topics),
    )


def _section_keys(pages: Iterable[Page]) -> dict[str, str]:
    parent_paths = {page.path[: -page.steplen] for page in pages}
    return {
        path: str(key)
        for path, key in Page.objects.filter(path__in=parent_paths).values_list(
            "path", "translation_key"
        )
    }


def published_between(start: datetime.datetime, end: datetime.datetime) -> list[ItemFacts]:
    """Public pages of every indexed type first published in [start, end), oldest first."""
    facts: list[ItemFacts] = []
    for registered in indexed_types():
        pages = list(
            visible_to_public(
                registered.model.objects.filter(
                    first_published_at__gte=start, first_published_at__lt=end
                )
            ).select_related("locale")
        )
        if not pages:
            continue
        keys = _section_keys(pages)
        facts.extend(
            _facts(page, described, keys)
            for page, described in zip(pages, registered.describe_all(pages), strict=True)
        )
    return sorted(facts, key=lambda item: (item.published_at, item.page_id))


def items_for_pages(page_ids: Sequence[int], language: str) -> list[NewsletterItem]:
    """The cards of `page_ids` still public, in that order; a page unpublished since is left out."""
    pages = {
        page.pk: page
        for page in visible_to_public(Page.objects.filter(pk__in=list(page_ids))).specific()
    }
    cards: list[NewsletterItem] = []
    described: dict[int, IndexedText] = {}
    for page in pages.values():
        registered = indexed_type_of(page)
        if registered is not None:
            described[page.pk] = registered.describe(page)
    expert_ids = {author for text in described.values() for author in text.authors}
    experts = Expert.objects.in_bulk(expert_ids)
    for page_id in page_ids:
        page = pages.get(page_id)
        text = described.get(page_id)
        registered = indexed_type_of(page) if page is not None else None
        if page is None or text is None or registered is None:
            continue
        lead = next((part.text for part in text.parts if part.kind == "lead"), "")
        cards.append(
            NewsletterItem(
                page_id=page.pk,
                kind=registered.kind,
                kind_label=str(registered.label),
                title=page.title,
                lead=lead or page.search_description,
                url=page.get_full_url() or "",
                date=text.date,
                authors=tuple(
                    experts[author].name_in(language)
                    for author in text.authors
                    if author in experts
                ),
            )
        )
    return cards
