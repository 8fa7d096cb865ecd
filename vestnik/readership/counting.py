"""Which views count, and how a reader is recognised for a day without being known.

One owner of the rules, whoever reports a view — the beacon endpoint
(`views.view_beacon`, the embedded install and any set-up without nginx in
front) or nginx's log of the same beacons (`view_log`, production):

- a reader who asks not to be tracked is not counted: `DNT: 1` or
  `Sec-GPC: 1` (the page's script does not even send the beacon then);
- crawlers are not counted: their user agents are recognised by crawlerdetect,
  a maintained list of some thousand patterns (headless browsers included);
- anyone signed in (editors, authors) is not counted: their own pages would
  swamp a small site's numbers;
- a reader reloading a page ten times is one view that day: the view's digest
  is a keyed BLAKE2b of the client address, the user agent and the page under
  the day's random salt. Only the digest is kept, and only until the next day
  is over; then the salt is deleted and no digest can be recomputed from an
  address again (docs/privacy.md).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect

from django.db import IntegrityError, transaction
from django.utils import timezone

from vestnik.readership.models import DailySalt

# Page ids are Wagtail's primary keys: anything else in a beacon is noise.
MAX_PAGE_ID = 2**31 - 1
# Bytes of a reader digest: 64 bits keep a collision among a day's views of
# one site below one in ten million, at a third of a full hash's memory.
DIGEST_BYTES = 8


@dataclass(frozen=True)
class View:
    """One page view as reported: what the rules and the digest need, nothing more."""

    page_id: int
    day: datetime.date
    client: str
    user_agent: str


def page_id_parse(value: str | bytes | None) -> int | None:
    """The page id a beacon names, or None for anything that is not one."""
    if value is None:
        return None
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    text = text.strip()
    if not text.isdigit() or len(text) > 10:
        return None
    page_id = int(text)
    return page_id if 0 < page_id <= MAX_PAGE_ID else None


@lru_cache(maxsize=4096)
def is_crawler(user_agent: str) -> bool:
    """Whether a user agent is a crawler's (or empty: browsers always say who they are).

    crawlerdetect runs some thousand patterns; a site sees a few thousand
    distinct user agents a day, so each verdict is remembered.
    """
    if not user_agent.strip():
        return True
    return bool(CrawlerDetect(user_agent=user_agent).isCrawler())


def refusal(*, user_agent: str, do_not_track: str, global_privacy: str, signed_in: bool) -> str:
    """Why a view is not counted ("" when it is): the header values as sent."""
    if do_not_track.strip() == "1" or global_privacy.strip() == "1":
        return "do-not-track"
    if signed_in:
        return "signed-in"
    if is_crawler(user_agent):
        return "crawler"
    return ""


# The salts this process has read: one database read per process per day.
_salts: dict[datetime.date, bytes] = {}


def day_salt(day: datetime.date) -> bytes:
    """The day's random salt, made by whichever process needs it first; all agree on it."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
        except IntegrityError:
            # Another process made it a moment ago: theirs is the day's.
            row = DailySalt.objects.get(day=day)
    salt = bytes.fromhex(row.salt)
    for known in [known for known in _salts if known < day - datetime.timedelta(days=1)]:
        del _salts[known]
    _salts[day] = salt
    return salt


def salts_forget() -> None:
    """Drop this process's copies of the salts (after they were deleted, and in tests)."""
    _salts.clear()


def reader_digest(view: View) -> str:
    """One reader, page and day give one digest; once the salt is gone, it names nobody."""
    message = f"{view.client}\n{view.user_agent}\n{view.page_id}".encode("utf-8", "replace")
    return hashlib.blake2b(message, key=day_salt(view.day), digest_size=DIGEST_BYTES).hexdigest()


def today() -> datetime.date:
    """The day a view made now belongs to, in the site's time zone."""
    return timezone.localdate()


def day_of(moment: datetime.datetime) -> datetime.date:
    """The day a view made at `moment` belongs to, in the site's time zone."""
    return _day_of_minute(int(moment.timestamp()) // 60)


@lru_cache(maxsize=1024)
def _day_of_minute(minute: int) -> datetime.date:
    # A log holds views of a few minutes each: one time-zone conversion per minute.
    return timezone.localdate(datetime.datetime.fromtimestamp(minute * 60, tz=datetime.UTC))
