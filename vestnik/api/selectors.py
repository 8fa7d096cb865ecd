"""What the API reads, built on the apps' own public selectors.

Nothing here decides visibility itself: articles come from
`articles.selectors.public_articles`, publications and events from their apps'
public selectors, entities and mentions from `insights.selectors`, the full
text search from `discovery.search.selectors.search_articles`. This module only
narrows those sets by the API's filters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from wagtail.query import PageQuerySet

from vestnik.articles.models import AnalysisIndexPage, ArticlePage, BlogPage
from vestnik.articles.selectors import public_articles
from vestnik.authors.models import Expert
from vestnik.core.selectors import visible_to_public
from vestnik.discovery.search.selectors import Sort, search_articles
from vestnik.insights.models import Entity
from vestnik.insights.selectors import visible_mentions

# Relevance order reaches this many articles, as on the search page.
MAX_SEARCH_RESULTS = 100


@dataclass(frozen=True)
class ArticleFilters:
    expert: str = ""
    section: str = ""
    country: str = ""
    region: str = ""
    topic: str = ""
    entity: str = ""
    language: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""


def _children_of(parents: QuerySet[BlogPage] | QuerySet[AnalysisIndexPage]) -> Q:
    match = Q(pk__in=[])
    for path, depth in parents.values_list("path", "depth"):
        match |= Q(path__startswith=path, depth=depth + 1)
    return match


def filtered_articles(filters: ArticleFilters) -> PageQuerySet:
    """Public articles matching every filter given, newest first (ties by id, for cursors)."""
    articles = public_articles(language=filters.language or None, any_language=not filters.language)
    if filters.expert:
        expert = Expert.objects.filter(slug=filters.expert).first()
        if expert is None:
            return articles.none()
        co_authored = ArticlePage.co_authors.through.objects.filter(expert=expert)
        articles = articles.filter(
            _children_of(BlogPage.objects.filter(expert=expert))
            | Q(pk__in=co_authored.values("articlepage_id"))
        )
    if filters.section == "analysis":
        articles = articles.filter(_children_of(AnalysisIndexPage.objects.all()))
    elif filters.section:
        articles = articles.filter(
            _children_of(visible_to_public(BlogPage.objects.filter(slug=filters.section)))
        )
    if filters.country:
        articles = articles.filter(countries__slug=filters.country)
    if filters.region:
        articles = articles.filter(regions__slug=filters.region)
    if filters.topic:
        articles = articles.filter(topics__slug=filters.topic)
    if filters.entity:
        mentions = visible_mentions().filter(entity__slug=filters.entity)
        articles = articles.filter(pk__in=mentions.values("page_id"))
    if filters.date_from:
        articles = articles.filter(publication_date__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(publication_date__lte=filters.date_to)
    return articles.order_by("-publication_date", "-pk")


def ranked_article_ids(query: str, *, language: str | None) -> list[int]:
    """Article ids matching `query` in the site search's relevance order (its first 100).

    The search page's own selector answers ten at a time; the pages are read in
    turn, and each is cached by the search itself.
    """
    ids: list[int] = []
    page = 1
    while len(ids) < MAX_SEARCH_RESULTS:
        results = search_articles(query=query, language=language, sort=Sort.RELEVANCE, page=page)
        ids.extend(hit.page.pk for hit in results.hits if isinstance(hit.page, ArticlePage))
        if not results.has_next:
            break
        page += 1
    return list(dict.fromkeys(ids))[:MAX_SEARCH_RESULTS]


def public_entities() -> QuerySet[Entity]:
    """Entities a reader may see: not hidden, not merged into another."""
    return Entity.objects.filter(hidden=False, merged_into__isnull=True)
