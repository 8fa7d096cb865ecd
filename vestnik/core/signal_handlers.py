"""Keep the page caches honest when pages change.

A page's own purge keys come from `front_cache.page_purge_keys` (the page type
and every app that registered what it knows). Apps purge for their own models
through `front_cache.model_purge_keys_register` in their `AppConfig.ready()`;
nothing here knows another app's models. The purge runs after the transaction
commits and also moves the application's own page cache to a new generation.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from vestnik.core import front_cache


def _page_changed(instance: Any, **kwargs: Any) -> None:
    front_cache.cached_urls_purge(keys=front_cache.page_purge_keys(instance))


def _page_moved(instance: Any, **kwargs: Any) -> None:
    keys = front_cache.page_purge_keys(instance)
    parent_before = kwargs.get("parent_page_before")
    if parent_before is not None:
        # The listing it left: the new ancestors are in `keys` already.
        keys.add(front_cache.under_key(parent_before.pk))
        keys.update(
            front_cache.under_key(ancestor.pk) for ancestor in parent_before.get_ancestors()
        )
    front_cache.cached_urls_purge(keys=keys)


def _page_deleted(instance: Any, **kwargs: Any) -> None:
    # Before the row goes: its tree position and relations are still readable.
    if instance.live:
        front_cache.cached_urls_purge(keys=front_cache.page_purge_keys(instance))


def register() -> None:
    page_published.connect(_page_changed, dispatch_uid="vestnik-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="vestnik-cache-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="vestnik-cache-moved")
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="vestnik-cache-page-deleted")
