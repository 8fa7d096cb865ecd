"""Keep the search index in step with what is published and public.

Page types know nothing about search: publishing, unpublishing, moving or
deleting a page of a registered type (`core.indexing`: articles, publications,
events), and adding or lifting a view restriction (a password, a login) on it
or above it, reach the search services through these signals, which listen to
every page and keep to the registered ones (apps register in their `ready()`,
whatever their order in INSTALLED_APPS).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from vestnik.articles.models import BlogPage
from vestnik.core.indexing import indexed_type_of
from vestnik.core.signal_handlers import deleted_with_its_page
from vestnik.discovery.search import services


def _index(instance: Any, **kwargs: Any) -> None:
    if indexed_type_of(instance) is not None:
        services.search_document_update(page=instance)


def _forget(instance: Any, **kwargs: Any) -> None:
    if indexed_type_of(instance) is not None:
        services.search_document_delete(page=instance)


def _moved(instance: Any, **kwargs: Any) -> None:
    # Moving an article to another blog changes its author; moving any page
    # under a restricted one hides it.
    if instance.live:
        page = instance.specific
        if indexed_type_of(page) is not None:
            services.search_document_update(page=page)


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
    page_published.connect(_index, dispatch_uid="vestnik-search-published")
    page_unpublished.connect(_forget, dispatch_uid="vestnik-search-unpublished")
    # Before the row goes: the FTS5 entry on SQLite is not removed by the cascade.
    pre_delete.connect(_forget, dispatch_uid="vestnik-search-deleted")
    post_page_move.connect(_moved, dispatch_uid="vestnik-search-moved")
    page_published.connect(
        _blog_published, sender=BlogPage, dispatch_uid="vestnik-search-blog-published"
    )
