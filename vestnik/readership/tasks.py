"""The task worker's part: views from the log and from Redis into the database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis.exceptions

from vestnik.core.tasks import TRANSIENT_ERRORS, retrying_task
from vestnik.readership.services import views_collect


@retrying_task(
    attempts=3,
    backoff=timedelta(seconds=30),
    retry_on=(*TRANSIENT_ERRORS, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError),
)
def views_collect_task() -> dict[str, Any]:
    """One collection; safe to run twice at once (see `stores` and `view_log`)."""
    collection = views_collect()
    return {
        "log_lines": collection.log.lines,
        "counted_from_log": collection.log.counted,
        "refused": dict(collection.log.refused),
        "malformed": collection.log.malformed,
        "written": collection.flushed,
    }
