"""Background work: extracting one page's insights (any registered type).

Enqueued on publish (`signal_handlers`); `TASKS` in settings chooses where it
runs (see docs/insights.md). The task takes a page id, not a page: task
arguments must be JSON, and the worker must read the page as it is now.

Extraction stores its results with one atomic replace, so a run cut short by
the database going away (the transient errors `retrying_task` retries) leaves
nothing half-written and the next attempt starts clean. Errors in the text or
the models are not retried: they would fail the same way every time.
"""

from __future__ import annotations

from wagtail.models import Page

from vestnik.core.tasks import retrying_task
from vestnik.insights.services import insights_extract_for_page


@retrying_task(attempts=5)
def insights_extract_task(page_id: int) -> dict[str, int]:
    base = Page.objects.live().filter(pk=page_id).first()
    page = base.specific if base is not None else None
    if page is None:
        # Unpublished or deleted before the worker got to it.
        return {"entities": 0, "events": 0, "figures": 0}
    extraction = insights_extract_for_page(page=page)
    return {
        "entities": len(extraction.entities),
        "events": len(extraction.timeline),
        "figures": len(extraction.figures),
    }
