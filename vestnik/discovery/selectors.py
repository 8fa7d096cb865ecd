"""Reads for browsing: country, region and topic pages, their articles and URLs."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.urls import reverse

from wagtail.query import PageQuerySet

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import _listing as article_listing
from vestnik.articles.selectors import public_articles
from vestnik.core.locales import content_languages
from vestnik.vocabulary.models import VocabularyTerm
from vestnik.vocabulary.terms import VOCABULARIES, normalise, vocabulary_kind

TERM_FEED_ITEMS = 20


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
