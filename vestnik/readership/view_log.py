"""nginx's log of view beacons, read by the task worker (production).

In front of the site nginx answers the beacon itself (`return 204`,
deploy/nginx/vestnik-readership.conf) and writes one line per beacon to a log
of its own, so a view costs what a cached page costs: no request reaches
gunicorn, and the page can never wait for counting. The worker reads the log
from where it stopped, applies the same rules as the endpoint
(`counting.refusal`) and records the views (`stores.record`).

A line is the format `vestnik_views` writes, tab-separated, values escaped as
JSON strings are (`escape=json`), so a tab in a user agent cannot split a line:

    msec  method  page  address  user-agent  DNT  Sec-GPC  personal

Reading is at least once and recording idempotent: the cursor (file, inode,
offset) is saved after the lines are recorded, so a worker killed in between
reads them again, and the day's digests make the second reading count nothing.

The log holds addresses and user agents, so it is kept only until read: after
each read the worker punches the read part out of the file (`fallocate`,
FALLOC_FL_PUNCH_HOLE), which frees the blocks while nginx goes on appending
at the end. On tmpfs (/run, as docs/operations.md sets it up) nothing of it
ever reaches a disk. Where the file system cannot punch holes, the read part
stays until the file is removed; docs/privacy.md says so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import json
import logging
import os
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from vestnik.readership import stores
from vestnik.readership.counting import View, day_of, page_id_parse, refusal
from vestnik.readership.models import ViewLogCursor

logger = logging.getLogger(__name__)

FIELDS = 8
# Read at most this much per step; one step's lines are recorded, then the cursor saved.
CHUNK_BYTES = 4 * 1024 * 1024
FALLOC_FL_KEEP_SIZE = 0x01
FALLOC_FL_PUNCH_HOLE = 0x02


@dataclass
class LogReading:
    """What one reading of the log found."""

    lines: int = 0
    counted: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    malformed: int = 0


def _unescape(value: bytes) -> str:
    # `escape=json` writes a string's inside as JSON would: read it back the same way.
    if b"\\" not in value:
        return value.decode("utf-8", "replace")
    try:
        return str(json.loads(b'"' + value + b'"'))
    except (ValueError, UnicodeDecodeError):
        return value.decode("utf-8", "replace")


def line_parse(line: bytes) -> tuple[View | None, str]:
    """A log line as a view to count, or None and why not ("malformed" for a broken line)."""
    parts = line.rstrip(b"\r\n").split(b"\t")
    if len(parts) != FIELDS:
        return None, "malformed"
    msec, method, page, address, user_agent, dnt, gpc, personal = parts
    page_id = page_id_parse(page)
    try:
        moment = datetime.datetime.fromtimestamp(float(msec), tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        return None, "malformed"
    if page_id is None:
        return None, "not-a-page"
    if method != b"POST":
        return None, "not-a-beacon"
    agent = _unescape(user_agent)
    reason = refusal(
        user_agent=agent,
        do_not_track=_unescape(dnt),
        global_privacy=_unescape(gpc),
        signed_in=personal.strip() not in (b"", b"0"),
    )
    if reason:
        return None, reason
    view = View(page_id=page_id, day=day_of(moment), client=_unescape(address), user_agent=agent)
    return view, ""


_libc: ctypes.CDLL | None = None
_punch_unsupported_logged = False


def _punch(fd: int, length: int) -> None:
    """Erase the first `length` bytes: whole blocks are freed, a partial one zeroed."""
    global _libc, _punch_unsupported_logged
    if length <= 0:
        return
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    result = _libc.fallocate(
        ctypes.c_int(fd),
        ctypes.c_int(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE),
        ctypes.c_longlong(0),
        ctypes.c_longlong(length),
    )
    if result != 0 and not _punch_unsupported_logged:
        _punch_unsupported_logged = True
        logger.warning(
            "readership: cannot free the read part of the view log (%s); see docs/privacy.md",
            os.strerror(ctypes.get_errno()),
        )


def log_read(path: str) -> LogReading:
    """Count the beacons nginx logged since the last reading; safe to run concurrently."""
    reading = LogReading()
    try:
        log = open(path, "r+b")  # noqa: SIM115 (kept open over several steps)
    except FileNotFoundError:
        return reading
    with log:
        while True:
            with transaction.atomic():
                # One reader at a time per file: the row lock orders concurrent workers.
                cursor, _ = ViewLogCursor.objects.select_for_update().get_or_create(path=path)
                status = os.fstat(log.fileno())
                if cursor.inode != status.st_ino or status.st_size < cursor.offset:
                    # A new file (first reading, or the file was recreated): from its start.
                    cursor.inode, cursor.offset = status.st_ino, 0
                log.seek(cursor.offset)
                chunk = log.read(CHUNK_BYTES)
                end = chunk.rfind(b"\n")
                if end < 0:
                    cursor.save()
                    break
                chunk = chunk[: end + 1]
                views = []
                for line in chunk.splitlines():
                    reading.lines += 1
                    view, reason = line_parse(line)
                    if view is not None:
                        views.append(view)
                    elif reason == "malformed":
                        reading.malformed += 1
                    else:
                        reading.refused[reason] += 1
                reading.counted += stores.record(views)
                cursor.offset += len(chunk)
                cursor.updated_at = timezone.now()
                cursor.save()
            _punch(log.fileno(), cursor.offset)
    if reading.malformed:
        # Never the lines themselves: they hold readers' addresses.
        logger.warning("readership: %d malformed line(s) in the view log", reading.malformed)
    return reading
