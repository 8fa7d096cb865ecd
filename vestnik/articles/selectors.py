"""Reads of articles that several pages share, with their prefetching in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest

from wagtail.query import PageQuerySet

from vestnik.articles.models import ArticleFootnote, ArticlePage
from vestnik.core import front_cache

if TYPE_CHECKING:
    from vestnik.authors.models import BlogPage, Expert


def _listing(queryset: PageQuerySet) -> PageQuerySet:
    """Articles as lists show them, newest first; pair with `with_bylines`."""
    return (
        queryset.live()
        .public()
        .order_by("-publication_date", "-first_published_at")
        .prefetch_related(Prefetch("co_authors"))
    )


def with_bylines(articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    """Attach each article's blog (and its expert) in one query for the whole list.

    Articles live directly under their blog, so the parent's tree path is the
    article's path minus one step.
    """
    from vestnik.authors.models import BlogPage

    articles = list(articles)
    parent_paths = {a.path[: -ArticlePage.steplen] for a in articles}
    blogs = {
        blog.path: blog
        for blog in BlogPage.objects.filter(path__in=parent_paths).select_related("expert")
    }
    for article in articles:
        article.listing_blog = blogs.get(article.path[: -ArticlePage.steplen])  # type: ignore[attr-defined]
    # Every card is a view of its article and of its author's name.
    front_cache.depends_on(*(front_cache.page_key(article.pk) for article in articles))
    front_cache.depends_on(*(front_cache.expert_key(blog.expert_id) for blog in blogs.values()))
    return articles


def latest_articles(*, limit: int = 10) -> list[ArticlePage]:
    return with_bylines(_listing(ArticlePage.objects.all())[:limit])


def articles_in_blog(blog: BlogPage) -> PageQuerySet:
    return _listing(ArticlePage.objects.child_of(blog))


def articles_by_expert(expert: Expert) -> PageQuerySet:
    """Articles the expert wrote in their own blog or co-authored elsewhere."""
    own = Q(pk__in=[])
    blog = getattr(expert, "blog", None)
    if blog is not None:
        own = Q(path__startswith=blog.path, depth=blog.depth + 1)
    return _listing(ArticlePage.objects.filter(own | Q(co_authors=expert)).distinct())


def related_articles(
    article: ArticlePage,
    *,
    country_ids: list[int],
    region_ids: list[int],
    topic_ids: list[int],
    limit: int = 3,
) -> list[ArticlePage]:
    """Other articles ranked by the number of countries, regions and topics they share."""
    vocabularies = {"countries": country_ids, "regions": region_ids, "topics": topic_ids}
    # An empty `__in` makes Django drop the whole query, so only used vocabularies count.
    used = {field: ids for field, ids in vocabularies.items() if ids}
    if not used:
        return []
    matches = Q()
    shared: Any = None
    for field, ids in used.items():
        matches |= Q(**{f"{field}__in": ids})
        count = Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        shared = count if shared is None else shared + count
    ranked = (
        _listing(ArticlePage.objects.exclude(pk=article.pk).filter(matches))
        .annotate(shared_tags=shared)
        .order_by("-shared_tags", "-publication_date")
    )
    return with_bylines(ranked[:limit])


def article_page_context(article: ArticlePage, request: HttpRequest) -> dict[str, Any]:
    """Everything the article template needs beyond the page itself."""
    from vestnik.authors.models import BlogPage
    from vestnik.core.selectors import share_links

    blog = (
        BlogPage.objects.filter(path=article.path[: -ArticlePage.steplen])
        .select_related("expert", "expert__photo")
        .first()
    )
    expert = blog.expert if blog is not None else None
    co_authors = list(article.co_authors.all())
    countries = list(article.countries.all())
    regions = list(article.regions.all())
    topics = list(article.topics.all())
    front_cache.depends_on(
        *(front_cache.expert_key(author.pk) for author in [expert, *co_authors] if author),
        *(front_cache.term_key("countries", term.pk) for term in countries),
        *(front_cache.term_key("regions", term.pk) for term in regions),
        *(front_cache.term_key("topics", term.pk) for term in topics),
    )
    return {
        "blog": blog,
        "expert": expert,
        "authors": [a for a in [expert, *co_authors] if a is not None],
        "footnote_index": article.footnote_index(),
        "countries": countries,
        "regions": regions,
        "topics": topics,
        "related_articles": related_articles(
            article,
            country_ids=[c.pk for c in countries],
            region_ids=[r.pk for r in regions],
            topic_ids=[t.pk for t in topics],
        ),
        "share_links": share_links(article, request),
    }


def footnotes_of(article: ArticlePage) -> QuerySet[ArticleFootnote]:
    return article.footnotes.all()
