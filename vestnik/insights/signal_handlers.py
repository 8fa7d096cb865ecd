"""Publishing an article queues its extraction, once the publish has committed.

The task runs in-process in development and tests (django-tasks' immediate
backend) and in the task worker in production; either way it reads the page
as committed, so it must not be enqueued before the transaction ends.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from wagtail.signals import page_published


def _enqueue_extraction(sender: Any, instance: Any, **kwargs: Any) -> None:
    from vestnik.articles.models import ArticlePage
    from vestnik.insights.tasks import insights_extract_task

    if not isinstance(instance, ArticlePage):
        return
    page_id = instance.pk
    transaction.on_commit(lambda: insights_extract_task.enqueue(page_id))


def register() -> None:
    page_published.connect(_enqueue_extraction, dispatch_uid="vestnik-insights-published")
