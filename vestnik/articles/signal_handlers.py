"""Wiring the articles app into the page machinery: context providers, purges, authors' rights."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from wagtail.models import Revision

from vestnik.articles.cache_keys import SHARE_LINKS
from vestnik.articles.models import (
    AnalysisIndexPage,
    ArticlePage,
    BlogPage,
    ShareNetwork,
    ShareSettings,
)
from vestnik.articles.selectors import (
    analysis_index_page_context,
    article_page_context,
    blog_page_context,
)
from vestnik.articles.services import article_co_author_permissions_sync, author_permissions_sync
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.pages import page_context_register


def _share_links_keys(instance: Any) -> set[str]:
    return {SHARE_LINKS}


def _expert_saved(sender: type[Expert], instance: Expert, raw: bool = False, **kwargs: Any) -> None:
    # An editor links or unlinks an account in the expert's admin form; `authors`
    # cannot know about blogs, so the grant is made here.
    if not raw:
        author_permissions_sync(expert=instance)


def _blog_created(
    sender: type[BlogPage], instance: BlogPage, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # A blog made in another language (wagtail-localize copies it when its first
    # article is translated) is the author's as much as the first one.
    if created and not raw:
        author_permissions_sync(expert=instance.expert)


def _revision_saved(
    sender: type[Revision], instance: Revision, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    # On the revision rather than the co-authors' m2m table: the admin writes that
    # table only when a page is published, and a co-author named in a draft should
    # be able to work on the draft. Every save in the page editor makes a revision.
    if raw or not created:
        return
    if instance.content_type_id != ContentType.objects.get_for_model(ArticlePage).pk:
        return
    article_co_author_permissions_sync(
        article_id=int(instance.object_id),
        co_author_ids=instance.content.get("co_authors") or [],
    )


def register() -> None:
    page_context_register(ArticlePage, article_page_context)
    page_context_register(BlogPage, blog_page_context)
    page_context_register(AnalysisIndexPage, analysis_index_page_context)
    for model in (ShareSettings, ShareNetwork):
        front_cache.model_purge_keys_register(model, _share_links_keys)
    post_save.connect(_expert_saved, sender=Expert, dispatch_uid="vestnik-author-rights")
    post_save.connect(_blog_created, sender=BlogPage, dispatch_uid="vestnik-blog-author-rights")
    post_save.connect(_revision_saved, sender=Revision, dispatch_uid="vestnik-co-author-rights")
