"""The readership's writes: collecting views into the database, forgetting what must go."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from vestnik.readership import conf, stores
from vestnik.readership.counting import salts_forget, today
from vestnik.readership.models import DailySalt, FlushedBatch, ReaderMark
from vestnik.readership.most_read import most_read_refresh
from vestnik.readership.view_log import LogReading, log_read

# Names of written batches are kept this long: far longer than any worker is
# killed for, so a batch left in Redis by a dead flush is never written twice.
FLUSHED_BATCH_DAYS = 7


@dataclass
class Collection:
    """What one `views_collect` did."""

    log: LogReading = field(default_factory=LogReading)
    flushed: int = 0
    forgotten_days: int = 0


def reader_traces_forget(*, now: datetime.datetime | None = None) -> int:
    """Delete the salts and digests of days before yesterday; returns the days forgotten.

    Yesterday's stay: a log read just after midnight still counts yesterday's
    views once per reader. After that no digest can be linked to an address.
    """
    keep_from = (timezone.localdate(now) if now else today()) - datetime.timedelta(days=1)
    days = DailySalt.objects.filter(day__lt=keep_from).count()
    DailySalt.objects.filter(day__lt=keep_from).delete()
    ReaderMark.objects.filter(day__lt=keep_from).delete()
    FlushedBatch.objects.filter(
        flushed_at__lt=(now or timezone.now()) - datetime.timedelta(days=FLUSHED_BATCH_DAYS)
    ).delete()
    if days:
        salts_forget()
    return days


def views_collect() -> Collection:
    """Read nginx's view log (if there is one), write Redis's counts, forget old traces.

    Then rank «Самое читаемое» again where its interval is over (`most_read`).
    """
    collection = Collection()
    path = conf.view_log_path()
    if path:
        collection.log = log_read(path)
    collection.flushed = stores.store().flush()
    collection.forgotten_days = reader_traces_forget()
    most_read_refresh()
    return collection
