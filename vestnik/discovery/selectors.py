"""Reads for browsing: country, region and topic pages, their articles and URLs.

`indexed_documents_tagged` and `indexed_pages` list a term's pages of every
registered kind (`core.indexing`: articles, publications, events) from the
search documents, which hold each public page's tags as published.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Count, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from wagtail.query import PageQuerySet

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import _listing as article_listing
from vestnik.articles.selectors import public_articles
from vestnik.core.indexing import indexed_pages_load
from vestnik.core.locales import content_language, content_languages
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.backends import backend
from vestnik.events.models import EventPage
from vestnik.events.selectors import public_events
from vestnik.publications.selectors import public_publications
from vestnik.publications.selectors import with_authors as with_publication_authors
from vestnik.vocabulary.models import VocabularyTerm
from vestnik.vocabulary.terms import VOCABULARIES, normalise, vocabulary_kind

TERM_FEED_ITEMS = 20
# Publications and events a term's page shows beside its articles.
TERM_MATERIALS = 6


def term_url(term: VocabularyTerm) -> str:
    """The term's page in the active language: /countries/kz/, /en/topics/energy/."""
    return reverse("discovery:term", args=[vocabulary_kind(term), term.slug])


def term_feed_urls(term: VocabularyTerm) -> tuple[str, str]:
    kind = vocabulary_kind(term)
    return (
        reverse("discovery:term_feed", args=[kind, term.slug]),
        reverse("discovery:term_feed_atom", args=[kind, term.slug]),
    )


def articles_tagged(term: VocabularyTerm) -> PageQuerySet:
    """The term's articles, newest first, prefetched as lists show them."""
    kind = vocabulary_kind(term)
    return article_listing(ArticlePage.objects.filter(**{kind: term}))


def publications_tagged(term: VocabularyTerm, *, limit: int = TERM_MATERIALS) -> list[Any]:
    """The term's latest public publications in the reader's language, as cards show them."""
    kind = vocabulary_kind(term)
    return with_publication_authors(
        public_publications().filter(**{kind: term}).order_by("-publication_date", "-pk")[:limit]
    )


def events_tagged(term: VocabularyTerm, *, limit: int = TERM_MATERIALS) -> list[EventPage]:
    """The term's public events in the reader's language, the latest start first.

    Events are tagged with countries and topics only.
    """
    kind = vocabulary_kind(term)
    if kind not in ("countries", "topics"):
        return []
    return list(public_events().filter(**{kind: term}).order_by("-start", "-pk")[:limit])


def terms_with_articles(kind: str, *, language: str | None = None) -> list[VocabularyTerm]:
    """Terms of one vocabulary that have published articles in `language` (by default
    the reader's), each with `article_count`.

    The 249 ISO countries exist whether or not anyone writes about them; lists,
    filters and the sitemap show only those that lead somewhere.
    """
    model = VOCABULARIES[kind]
    published = Q(articles__in=public_articles(language=language).values("pk"))
    terms = model.objects.filter(published).annotate(
        article_count=Count("articles", filter=published, distinct=True),
        latest_article=Max("articles__last_published_at", filter=published),
    )
    # Sorted by the name the reader sees, which depends on the interface language.
    return sorted(terms, key=lambda term: normalise(term.name))


def terms_with_articles_in_languages(kind: str) -> list[VocabularyTerm]:
    """Terms of one vocabulary with published articles in any language, in one query.

    Each has `languages` (those it has public articles in, in settings order)
    and `latest_article` (the latest publication among them all).
    """
    model = VOCABULARIES[kind]
    published = Q(articles__in=public_articles(any_language=True).values("pk"))
    counts = {
        f"articles_{code}": Count(
            "articles",
            filter=Q(articles__in=public_articles(language=code).values("pk")),
            distinct=True,
        )
        for code in content_languages()
    }
    terms = list(
        model.objects.filter(published)
        .annotate(latest_article=Max("articles__last_published_at", filter=published), **counts)
        .order_by("slug")
    )
    for term in terms:
        term.languages = [  # type: ignore[attr-defined]
            code for code in content_languages() if getattr(term, f"articles_{code}")
        ]
    return terms


def indexed_documents_tagged(
    term: VocabularyTerm, *, language: str | None = None
) -> QuerySet[SearchDocument]:
    """The search documents of public pages of every kind tagged with `term`, newest first,
    in `language` (by default the reader's); pass a page of them to `indexed_pages`.

    The index holds only public pages, and a page's tags as it was published.
    """
    column = vocabulary_kind(term)  # "countries", "regions", "topics": the JSON lists
    table = SearchDocument._meta.db_table
    # S611: the SQL is a backend constant naming a model column; the id is a parameter.
    tagged = RawSQL(backend().tag_has(column, alias=table), [term.pk], BooleanField())  # noqa: S611
    return (
        SearchDocument.objects.filter(tagged, language=language or content_language())
        .select_related("page")
        .only("page_id", "kind", "publication_date", "page__content_type_id")
        .order_by("-publication_date", "-page_id")
    )


def indexed_pages(documents: Iterable[SearchDocument]) -> list[Any]:
    """The documents' pages as articles, publications and events, in order, each with
    `indexed_kind` and `indexed_label` (`core.indexing.indexed_pages_load`)."""
    return indexed_pages_load(document.page for document in documents)
