"""Publishing a page of a registered type (`core.indexing`: an article, a publication,
an event) queues its extraction, once the publish has committed.

The task runs in-process in development and tests (django-tasks' immediate
backend) and in the task worker in production; either way it reads the page
as committed, so it must not be enqueued before the transaction ends.

A page that changes also purges the entity pages that list it: insights knows
which entities a page mentions, so it adds their keys to every page's purge.
An entity an editor renames, hides or merges purges its page, the index and
the articles whose insights panel names it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wagtail.signals import page_published

from vestnik.core import front_cache
from vestnik.core.indexing import indexed_type_of
from vestnik.insights.cache_keys import ENTITY_INDEX, entity_key
from vestnik.insights.models import Entity, Mention
from vestnik.insights.tasks import insights_extract_task


def _enqueue_extraction(sender: Any, instance: Any, **kwargs: Any) -> None:
    if indexed_type_of(instance) is None:
        return
    page_id = instance.pk
    transaction.on_commit(lambda: insights_extract_task.enqueue(page_id))


def mentioned_entities_keys(page: Any) -> set[str]:
    """The entity pages and the entity index list the pages that mention them."""
    if indexed_type_of(page) is None:
        return set()
    entity_ids = Mention.objects.filter(page=page).values_list("entity_id", flat=True)
    return {ENTITY_INDEX, *(entity_key(pk) for pk in entity_ids)}


def entity_purge_keys(entity: Entity) -> set[str]:
    pages = Mention.objects.filter(entity=entity).values_list("page_id", flat=True)
    return {ENTITY_INDEX, entity_key(entity.pk), *(front_cache.page_key(pk) for pk in pages)}


def register() -> None:
    front_cache.model_purge_keys_register(Entity, entity_purge_keys)
    page_published.connect(_enqueue_extraction, dispatch_uid="vestnik-insights-published")
    front_cache.page_purge_keys_register(mentioned_entities_keys)
