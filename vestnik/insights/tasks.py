"""Background work: extracting one article's insights.

Enqueued on publish (`signal_handlers`); `TASKS` in settings chooses where it
runs (see docs/insights.md). The task takes a page id, not a page: task
arguments must be JSON, and the worker must read the page as it is now.
"""

from __future__ import annotations

from django_tasks import task

from vestnik.articles.models import ArticlePage
from vestnik.insights.services import insights_extract_for_page


@task()
def insights_extract_task(page_id: int) -> dict[str, int]:
    page = ArticlePage.objects.live().filter(pk=page_id).first()
    if page is None:
        # Unpublished or deleted before the worker got to it.
        return {"entities": 0, "events": 0, "figures": 0}
    extraction = insights_extract_for_page(page=page)
    return {
        "entities": len(extraction.entities),
        "events": len(extraction.timeline),
        "figures": len(extraction.figures),
    }
