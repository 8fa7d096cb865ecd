"""Reads about experts shared by pages and templates."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language

from vestnik.authors.models import BlogPage, Expert, ExpertIndexPage
from vestnik.core.page_cache import current_generation

if TYPE_CHECKING:
    from vestnik.discovery.models import Country, Topic


def blog_for_expert(expert: Expert) -> BlogPage | None:
    return BlogPage.objects.live().filter(expert=expert).first()


def experts_directory_url() -> str:
    """The experts directory's URL in the active language, cached until content changes.

    Every byline and expert card links to a profile; without the cache each one
    would cost a query.
    """
    key = f"vestnik:experts-directory-url:{current_generation()}:{get_language()}"
    url = cache.get(key)
    if url is None:
        directory = ExpertIndexPage.objects.live().first()
        url = directory.url if directory is not None and directory.url else ""
        cache.set(key, url, timeout=None)
    return str(url)


def expert_profile_url(expert: Expert) -> str | None:
    directory_url = experts_directory_url()
    return f"{directory_url}{expert.slug}/" if directory_url else None


def experts_with_article_counts(
    *, country: Country | None = None, topic: Topic | None = None
) -> list[Expert]:
    """Experts with `article_count` set; with a country or topic, only those who wrote on it.

    An expert's articles are those in their blog and those they co-authored, so
    the counting happens over tree paths and the co-author table in two
    queries, not one per expert.
    """
    from vestnik.articles.models import ArticlePage

    articles = ArticlePage.objects.live().public()
    if country is not None:
        articles = articles.filter(countries=country)
    if topic is not None:
        articles = articles.filter(topics=topic)
    paths = dict(articles.values_list("pk", "path"))
    blog_owners = dict(
        BlogPage.objects.filter(
            path__in={path[: -ArticlePage.steplen] for path in paths.values()}
        ).values_list("path", "expert_id")
    )
    written: dict[int, set[int]] = defaultdict(set)
    for article_id, path in paths.items():
        owner = blog_owners.get(path[: -ArticlePage.steplen])
        if owner is not None:
            written[owner].add(article_id)
    co_authorship = ArticlePage.co_authors.through.objects.filter(
        articlepage_id__in=list(paths)
    ).values_list("articlepage_id", "expert_id")
    for article_id, expert_id in co_authorship:
        written[expert_id].add(article_id)

    experts: QuerySet[Expert] = Expert.objects.select_related("photo", "blog").order_by("full_name")
    if country is not None or topic is not None:
        experts = experts.filter(pk__in=list(written))
    result = list(experts)
    for expert in result:
        expert.article_count = len(written.get(expert.pk, ()))  # type: ignore[attr-defined]
    return result
