"""Liveness and readiness endpoints for process managers and load balancers.

`/healthz` answers as long as the process can serve a request at all and
touches nothing else, so a restart is only triggered by a stuck process, never
by a database outage that a restart would not fix. `/readyz` checks what the
site depends on (database, cache, media storage) and answers 503 when any of
them fails, naming it. The body names each check; the reason is the kind of
error only, since these URLs answer anyone who asks, and the full error goes
to the log under the request id.

Both send `Cache-Control: no-store` so that neither the page cache, nginx nor a
CDN ever answers in the application's place.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vestnik.core.routing import without_site

logger = logging.getLogger(__name__)

CACHE_PROBE_KEY = "vestnik:readyz:probe"


class CheckFailed(Exception):
    """A dependency answered, but not as it should."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("unexpected answer to SELECT 1")


def check_cache() -> None:
    # The Redis backend answers like an empty cache while Redis is down, so a
    # write and read back could not tell; ask Redis itself.
    ping: Callable[[], None] | None = getattr(cache, "ping", None)
    if ping is not None:
        ping()
        return
    probe = uuid.uuid4().hex
    cache.set(CACHE_PROBE_KEY, probe, timeout=10)
    if cache.get(CACHE_PROBE_KEY) != probe:
        raise CheckFailed("value written was not read back")


def check_storage() -> None:
    storage: Any = default_storage
    if isinstance(storage, FileSystemStorage):
        # The storage creates the media directory on the first upload, so a
        # fresh install is ready when the nearest existing ancestor is writable.
        location = Path(storage.location)
        existing = next(path for path in (location, *location.parents) if path.exists())
        if not existing.is_dir():
            raise CheckFailed("media location is not a directory")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise CheckFailed("media directory not writable")
        return
    bucket_name = getattr(storage, "bucket_name", None)
    if bucket_name:
        # exists() on a key cannot tell a missing bucket from a missing file;
        # HeadBucket checks the endpoint, the credentials and the bucket at once.
        storage.connection.meta.client.head_bucket(Bucket=bucket_name)
        return
    storage.exists("readyz-probe")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
}


def run_checks() -> dict[str, dict[str, str]]:
    results: dict[str, dict[str, str]] = {}
    for name, check in CHECKS.items():
        try:
            check()
        # Readiness must report any failure of a dependency, whatever its kind;
        # nothing is hidden: the answer says which check failed and the log says why.
        except Exception as error:
            logger.warning("readiness check %s failed", name, exc_info=True)
            reason = str(error) if isinstance(error, CheckFailed) else type(error).__name__
            results[name] = {"status": "error", "reason": reason}
        else:
            results[name] = {"status": "ok"}
    return results


@without_site
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@without_site
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    ready = all(result["status"] == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks},
        status=200 if ready else 503,
    )
