"""Reads about experts shared by pages and templates."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language

from vestnik.authors.models import BlogPage, Expert, ExpertIndexPage
from vestnik.core.page_cache import current_generation


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


def experts_with_article_counts() -> QuerySet[Expert]:
    return Expert.objects.select_related("photo", "blog").order_by("full_name")
