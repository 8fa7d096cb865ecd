"""Keep the page caches honest when content changes.

Every change names the front-cache keys it touches (see `front_cache`); the
purge runs after the transaction commits and also moves the application's own
page cache to a new generation.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.signals import page_published, page_unpublished, post_page_move

from vestnik.core import front_cache


def _page_keys(page: Any) -> set[str]:
    specific = page.specific if hasattr(page, "specific") else page
    purge_keys = getattr(specific, "front_cache_purge_keys", None)
    if purge_keys is None:
        # A page type that is never cached still shows up in menus and lists.
        return {front_cache.page_key(page.pk), front_cache.ALL_LISTS, front_cache.NAVIGATION}
    return set(purge_keys())


def _page_changed(instance: Any, **kwargs: Any) -> None:
    front_cache.cached_urls_purge(keys=_page_keys(instance))


def _page_moved(instance: Any, **kwargs: Any) -> None:
    keys = _page_keys(instance)
    parent_before = kwargs.get("parent_page_before")
    if parent_before is not None:
        # The listing it left: the new ancestors are in `keys` already.
        keys.update(front_cache.under_key(pk) for pk in [parent_before.pk])
        keys.update(
            front_cache.under_key(ancestor.pk) for ancestor in parent_before.get_ancestors()
        )
    front_cache.cached_urls_purge(keys=keys)


def _page_deleted(instance: Any, **kwargs: Any) -> None:
    # Before the row goes: its tree position and relations are still readable.
    if instance.live:
        front_cache.cached_urls_purge(keys=_page_keys(instance))


def _share_settings_changed(**kwargs: Any) -> None:
    front_cache.cached_urls_purge(keys={front_cache.SHARE_LINKS})


def _expert_changed(instance: Any, **kwargs: Any) -> None:
    front_cache.cached_urls_purge(
        keys={front_cache.expert_key(instance.pk), front_cache.EXPERT_DIRECTORY}
    )


def _term_changed(instance: Any, **kwargs: Any) -> None:
    from vestnik.discovery.vocabulary import VOCABULARIES

    kind = next(kind for kind, model in VOCABULARIES.items() if isinstance(instance, model))
    front_cache.cached_urls_purge(
        keys={front_cache.term_key(kind, instance.pk), front_cache.TERM_INDEXES}
    )


def register() -> None:
    from wagtail.models import Page

    from vestnik.authors.models import Expert
    from vestnik.core.models import ShareNetwork, ShareSettings
    from vestnik.discovery.vocabulary import VOCABULARIES

    page_published.connect(_page_changed, dispatch_uid="vestnik-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="vestnik-cache-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="vestnik-cache-moved")
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="vestnik-cache-page-deleted")
    for model in (ShareSettings, ShareNetwork):
        post_save.connect(
            _share_settings_changed, sender=model, dispatch_uid=f"vestnik-cache-{model.__name__}"
        )
        post_delete.connect(
            _share_settings_changed,
            sender=model,
            dispatch_uid=f"vestnik-cache-del-{model.__name__}",
        )
    post_save.connect(_expert_changed, sender=Expert, dispatch_uid="vestnik-cache-expert")
    post_delete.connect(_expert_changed, sender=Expert, dispatch_uid="vestnik-cache-del-expert")
    for term_model in VOCABULARIES.values():
        post_save.connect(
            _term_changed, sender=term_model, dispatch_uid=f"vestnik-cache-{term_model.__name__}"
        )
        post_delete.connect(
            _term_changed,
            sender=term_model,
            dispatch_uid=f"vestnik-cache-del-{term_model.__name__}",
        )
