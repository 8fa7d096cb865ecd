"""Wagtail's page events kept in the OAI-PMH tombstones (`api.oai.services`); API keys' cache.

The articles and publications know nothing of harvesting; the repository
listens to their pages being published, unpublished, deleted and made private.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from vestnik.api import keys
from vestnik.api.models import ApiKey
from vestnik.api.oai import services
from vestnik.api.oai.selectors import HARVESTED_MODELS


def _published(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    services.page_became_public(page=instance)


def _unpublished(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    services.page_left_public(page=instance)


def _deleting(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    # Before the delete, while the tree above says whether the page was public.
    if instance.live:
        services.page_left_public(page=instance)


def _restriction_saved(
    sender: type[PageViewRestriction],
    instance: PageViewRestriction,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if created and not raw:
        services.restriction_added(restriction=instance)


def _restriction_deleting(
    sender: type[PageViewRestriction], instance: PageViewRestriction, **kwargs: Any
) -> None:
    # The path is read before the delete (its page may go in the same cascade);
    # the pages are judged after the commit, when whatever was deleted is gone.
    path = instance.page.path
    transaction.on_commit(partial(services.restriction_removed, path=path))


def _key_changed(sender: type[ApiKey], instance: ApiKey, **kwargs: Any) -> None:
    # A revoked key or a new rate counts from the next request, not after the cache's minute.
    keys.api_key_forget_cached(instance)


def register() -> None:
    for model in HARVESTED_MODELS:
        name = model._meta.label_lower
        page_published.connect(
            _published, sender=model, dispatch_uid=f"vestnik-oai-published-{name}"
        )
        page_unpublished.connect(
            _unpublished, sender=model, dispatch_uid=f"vestnik-oai-unpublished-{name}"
        )
        pre_delete.connect(_deleting, sender=model, dispatch_uid=f"vestnik-oai-deleting-{name}")
    post_save.connect(
        _restriction_saved, sender=PageViewRestriction, dispatch_uid="vestnik-oai-restricted"
    )
    pre_delete.connect(
        _restriction_deleting, sender=PageViewRestriction, dispatch_uid="vestnik-oai-unrestricted"
    )
    post_save.connect(_key_changed, sender=ApiKey, dispatch_uid="vestnik-api-key-changed")
    post_delete.connect(_key_changed, sender=ApiKey, dispatch_uid="vestnik-api-key-deleted")
