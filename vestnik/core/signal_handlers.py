"""Keep the anonymous page cache honest when content changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from vestnik.core import page_cache


def _invalidate(**kwargs: Any) -> None:
    page_cache.invalidate_all()


def register() -> None:
    from wagtail.models import Page

    from vestnik.authors.models import Expert
    from vestnik.core.models import ShareNetwork, ShareSettings
    from vestnik.discovery.models import Country, Region, Topic

    page_published.connect(_invalidate, dispatch_uid="vestnik-cache-published")
    page_unpublished.connect(_invalidate, dispatch_uid="vestnik-cache-unpublished")
    post_page_move.connect(_invalidate, dispatch_uid="vestnik-cache-moved")
    post_delete.connect(_invalidate, sender=Page, dispatch_uid="vestnik-cache-page-deleted")
    for model in (ShareSettings, ShareNetwork, Expert, Country, Region, Topic):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"vestnik-cache-{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"vestnik-cache-del-{model.__name__}"
        )
