"""Where counted views go: Redis when configured, flushed by the task worker; else the database.

A view is recorded once per reader, page and day whatever reports it how
often: recording is "add this digest to the day's set; if it was new, add one
to the page's count" in one step (a Lua script in Redis, a transaction in the
database). That makes recording idempotent, so a log read twice after a
worker was killed, or a beacon sent twice, counts once.

Redis keeps the counts of views not yet written (`PENDING_KEY`, a hash of
"page:day" → views). The flush renames that hash to a batch of its own (a
new one starts at once), writes the batch's counts and the batch's name in one
database transaction, and only then deletes the batch. A worker killed before
its commit leaves the batch to the next flush; one killed after it leaves a
batch whose name is already written, which the next flush deletes unread.
Nothing is lost and nothing is added twice.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

import redis
import redis.exceptions

from django.db import IntegrityError, transaction
from django.db.models import F

from wagtail.models import Page

from vestnik.readership import conf
from vestnik.readership.counting import View, reader_digest
from vestnik.readership.models import FlushedBatch, PageViewDay, ReaderMark

logger = logging.getLogger(__name__)

SEEN_PREFIX = "vestnik:readership:seen:"
PENDING_KEY = "vestnik:readership:pending"
BATCH_PREFIX = "vestnik:readership:batch:"
# A day's set of digests outlives the day by one more (a log read after
# midnight still knows yesterday's readers), then Redis drops it.
SEEN_SECONDS = 2 * 24 * 60 * 60

# KEYS[1] the pending counts; ARGV[1] the sets' lifetime, ARGV[2] the sets' key
# prefix, then (day, digest, "page:day") for each view. A set's name is made
# here from its day: one call records a thousand views of any days, and the
# server runs them as one step.
RECORD_SCRIPT = """
local counted = 0
local days = {}
for i = 3, #ARGV, 3 do
  local seen = ARGV[2] .. ARGV[i]
  days[seen] = true
  if redis.call('SADD', seen, ARGV[i + 1]) == 1 then
    redis.call('HINCRBY', KEYS[1], ARGV[i + 2], 1)
    counted = counted + 1
  end
end
for seen in pairs(days) do
  redis.call('EXPIRE', seen, ARGV[1])
end
return counted
"""
# Views per script call: about a millisecond of the server's time.
RECORD_BATCH = 1000

Counts = Counter[tuple[int, datetime.date]]


class Store(Protocol):
    def record(self, views: Iterable[View]) -> int:
        """Record views; returns how many were new (counted)."""
        ...

    def flush(self) -> int:
        """Write what is waiting to the database; returns the views written."""
        ...


def counts_add(counts: Counts, *, batch: str = "", live: set[int] | None = None) -> int:
    """Add views to `PageViewDay` in one transaction; a named batch is added once only.

    Views of pages that are not live are dropped: a beacon naming a draft's id
    counts nothing, nor one for a page unpublished before the flush; returns
    the views written.
    """
    if not counts:
        return 0
    with transaction.atomic():
        if batch:
            try:
                with transaction.atomic():
                    # First, so a second flush of the same batch waits for
                    # this one's commit on the unique key and then skips it.
                    FlushedBatch.objects.create(batch=batch)
            except IntegrityError:
                return 0
        if live is None:
            live = _live_pages({page_id for page_id, _ in counts})
        written = 0
        for (page_id, day), views in sorted(counts.items()):
            if page_id not in live or views <= 0:
                continue
            _increment(page_id, day, views)
            written += views
        return written


def _live_pages(page_ids: set[int]) -> set[int]:
    return set(Page.objects.filter(pk__in=page_ids, live=True).values_list("pk", flat=True))


def _increment(page_id: int, day: datetime.date, views: int) -> None:
    updated = PageViewDay.objects.filter(page_id=page_id, day=day).update(views=F("views") + views)
    if updated:
        return
    try:
        with transaction.atomic():
            PageViewDay.objects.create(page_id=page_id, day=day, views=views)
    except IntegrityError:
        # Another writer made the row a moment ago.
        PageViewDay.objects.filter(page_id=page_id, day=day).update(views=F("views") + views)


class DatabaseStore:
    """The embedded install: digests in `ReaderMark`, counts straight into `PageViewDay`."""

    def record(self, views: Iterable[View]) -> int:
        views = list(views)
        if not views:
            return 0
        live = _live_pages({view.page_id for view in views})
        counts: Counts = Counter()
        with transaction.atomic():
            for view in views:
                if view.page_id not in live:
                    continue
                try:
                    with transaction.atomic():
                        ReaderMark.objects.create(day=view.day, digest=reader_digest(view))
                except IntegrityError:
                    continue  # this reader's view of this page today is counted
                counts[(view.page_id, view.day)] += 1
            return counts_add(counts, live=live)

    def flush(self) -> int:
        return 0


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Short timeouts: a beacon waits for nothing, and a slow Redis means the
    # view is written to the database instead (`record`).
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2.0)


class RedisStore:
    """Digests and pending counts in Redis; `flush` (the task worker) writes the counts."""

    def __init__(self, url: str) -> None:
        self.redis = _client(url)
        self._script = self.redis.register_script(RECORD_SCRIPT)

    def record(self, views: Iterable[View]) -> int:
        views = list(views)
        counted = 0
        for start in range(0, len(views), RECORD_BATCH):
            args: list[str | int] = [SEEN_SECONDS, SEEN_PREFIX]
            for view in views[start : start + RECORD_BATCH]:
                day = view.day.isoformat()
                args += [day, reader_digest(view), f"{view.page_id}:{day}"]
            counted += int(self._script(keys=[PENDING_KEY], args=args))
        return counted

    def flush(self) -> int:
        batch_key = BATCH_PREFIX + uuid.uuid4().hex
        with contextlib.suppress(redis.exceptions.ResponseError):  # nothing pending
            self.redis.rename(PENDING_KEY, batch_key)
        written = 0
        # Batches of flushes that were killed are written first; this one is among them.
        for key in sorted(self.redis.scan_iter(match=BATCH_PREFIX + "*", count=1000)):
            written += self._batch_write(key.decode() if isinstance(key, bytes) else str(key))
        return written

    def _batch_write(self, key: str) -> int:
        counts: Counts = Counter()
        for field, value in self.redis.hgetall(key).items():
            name = field.decode() if isinstance(field, bytes) else str(field)
            page, _, day = name.partition(":")
            try:
                counts[(int(page), datetime.date.fromisoformat(day))] += int(value)
            except ValueError:
                logger.warning("readership: a malformed pending count was dropped")
        written = counts_add(counts, batch=key.removeprefix(BATCH_PREFIX))
        self.redis.delete(key)
        return written


def store() -> Store:
    """The store views go to under this configuration."""
    url = conf.redis_url()
    return RedisStore(url) if url else DatabaseStore()


def record(views: Iterable[View]) -> int:
    """Record views where they go; with Redis unreachable, in the database (none is lost)."""
    views = list(views)
    active = store()
    if isinstance(active, RedisStore):
        try:
            return active.record(views)
        except redis.exceptions.RedisError:
            logger.warning(
                "readership: Redis unreachable, %d view(s) recorded in the database", len(views)
            )
    return DatabaseStore().record(views)
