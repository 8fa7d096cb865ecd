"""Keep the search index in step with what is published and public.

Articles know nothing about search: publishing, unpublishing, moving or
deleting one, and adding or lifting a view restriction (a password, a login)
on it or on its blog, reach the search services through these signals.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.core.signal_handlers import deleted_with_its_page
from vestnik.discovery.search import services


def _index(instance: Any, **kwargs: Any) -> None:
    services.search_document_update(page=instance)


def _forget(instance: Any, **kwargs: Any) -> None:
    services.search_document_delete(page=instance)


def _moved(instance: Any, **kwargs: Any) -> None:
    # Moving an article to another blog changes its author.
    if instance.live:
        services.search_document_update(page=instance.specific)


def _blog_published(instance: Any, **kwargs: Any) -> None:
    # The blog's expert is the author of every article in it.
    services.search_documents_update_author(blog=instance)


def _privacy_changed(instance: PageViewRestriction, **kwargs: Any) -> None:
    if deleted_with_its_page(kwargs.get("origin")):
        # The pages below are going too, and are forgotten on the way.
        return
    services.search_documents_update_under(page=instance.page)


def register() -> None:
    post_save.connect(
        _privacy_changed, sender=PageViewRestriction, dispatch_uid="vestnik-search-restricted"
    )
    post_delete.connect(
        _privacy_changed, sender=PageViewRestriction, dispatch_uid="vestnik-search-unrestricted"
    )
    page_published.connect(_index, sender=ArticlePage, dispatch_uid="vestnik-search-published")
    page_unpublished.connect(_forget, sender=ArticlePage, dispatch_uid="vestnik-search-unpublished")
    # Before the row goes: the FTS5 entry on SQLite is not removed by the cascade.
    pre_delete.connect(_forget, sender=ArticlePage, dispatch_uid="vestnik-search-deleted")
    post_page_move.connect(_moved, sender=ArticlePage, dispatch_uid="vestnik-search-moved")
    page_published.connect(
        _blog_published, sender=BlogPage, dispatch_uid="vestnik-search-blog-published"
    )
