"""Reads about experts shared by pages and templates."""

from __future__ import annotations

from django.db.models import QuerySet

from vestnik.authors.models import BlogPage, Expert, ExpertIndexPage


def blog_for_expert(expert: Expert) -> BlogPage | None:
    return BlogPage.objects.live().filter(expert=expert).first()


def expert_profile_url(expert: Expert) -> str | None:
    directory = ExpertIndexPage.objects.live().first()
    if directory is None:
        return None
    return f"{directory.url}{directory.reverse_subpage('profile', kwargs={'slug': expert.slug})}"


def experts_with_article_counts() -> QuerySet[Expert]:
    return Expert.objects.select_related("photo", "blog").order_by("full_name")
