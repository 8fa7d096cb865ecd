"""Keep the page caches honest when pages change.

A page's own purge keys come from `front_cache.page_purge_keys` (the page type
and every app that registered what it knows). Apps purge for their own models
through `front_cache.model_purge_keys_register` in their `AppConfig.ready()`;
nothing here knows another app's models. The purge runs after the transaction
commits and also moves the application's own page cache to a new generation.

Making a page private (a password or a login, a `PageViewRestriction`) or
public again changes what an anonymous reader gets at its URL and at the URL
of every page below it, and which listings may show them: all of those are
purged as if each page had been unpublished.

The routing cache (`core.routing`) remembers where pages are under the same
generation, so everything that moves a page's URL moves it on as well: a slug
change (of a page and so of every page below it) and any change to a `Site`
(hostname, port, root page, default site).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from vestnik.core import front_cache, locales, page_cache


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


def deleted_with_its_page(origin: Any) -> bool:
    """Whether a deletion's `origin` (Django's post_delete argument) was a page, not the row.

    A view restriction deleted because its page is being deleted needs no
    purge or re-index of its own: the page's deletion does that.
    """
    if isinstance(origin, QuerySet):
        return issubclass(origin.model, Page)
    return isinstance(origin, Page)


def _privacy_changed(instance: PageViewRestriction, **kwargs: Any) -> None:
    if deleted_with_its_page(kwargs.get("origin")):
        return  # the page purges itself (`_page_deleted`)
    keys: set[str] = set()
    for page in Page.objects.descendant_of(instance.page, inclusive=True).live().specific():
        keys |= front_cache.page_purge_keys(page)
    front_cache.cached_urls_purge(keys=keys)


def _site_changed(**kwargs: Any) -> None:
    # Every URL of the site may now lead elsewhere (hostname, port, root page).
    transaction.on_commit(page_cache.invalidate_all)


def _image_keys(image: Any) -> set[str]:
    # Pages show an image through renditions whose URLs change with its file or
    # focal point. No key names those pages, so the purge is the generation's
    # move alone: the app's page cache and cached fragments (`core.fragments`).
    return set()


def _locale_changed(**kwargs: Any) -> None:
    """A language added or taken away changes which pages exist at which URLs."""
    locales.forget_locales()
    _site_changed(**kwargs)


def register() -> None:
    front_cache.model_purge_keys_register(get_image_model(), _image_keys)
    page_published.connect(_page_changed, dispatch_uid="vestnik-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="vestnik-cache-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="vestnik-cache-moved")
    # Sent after the commit, for the page whose slug changed: its URL and those below it moved.
    page_slug_changed.connect(_page_changed, dispatch_uid="vestnik-cache-slug-changed")
    post_save.connect(_site_changed, sender=Site, dispatch_uid="vestnik-cache-site-saved")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid="vestnik-cache-site-deleted")
    post_save.connect(_locale_changed, sender=Locale, dispatch_uid="vestnik-cache-locale-saved")
    post_delete.connect(_locale_changed, sender=Locale, dispatch_uid="vestnik-cache-locale-deleted")
    pre_delete.connect(_page_deleted, sender=Page, dispatch_uid="vestnik-cache-page-deleted")
    post_save.connect(
        _privacy_changed, sender=PageViewRestriction, dispatch_uid="vestnik-cache-restricted"
    )
    post_delete.connect(
        _privacy_changed, sender=PageViewRestriction, dispatch_uid="vestnik-cache-unrestricted"
    )
