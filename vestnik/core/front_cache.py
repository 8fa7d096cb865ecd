"""Purging the front cache (nginx) precisely, by surrogate keys.

In production nginx keeps anonymous pages (`deploy/nginx/vestnik.conf`) and
serves them without reaching Django. What a page shows is recorded when it is
rendered, as surrogate keys (the idea of Varnish's xkey and Fastly's
Surrogate-Key): the article itself (`page:12`), every card on it (`page:…`,
`expert:…`), the lists it is a view of (`list:all`, `list:under:5`,
`term:countries:3`, `entity:7`), the share labels, the poll widget. When
content changes, the service names the keys the change touches; the URLs
recorded with those keys are purged from every configured front cache (and a
CDN, through Wagtail's frontend-cache backends) — exactly the pages that show
it, nothing else.

Keys are collected per request in a context variable: renderers call
`depends_on()` and never need to know whether a front cache exists. Recording
is skipped entirely when no front cache is configured (`make run`, tests that do
not ask for it).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page

from vestnik.core import page_cache
from vestnik.core.models import CachedUrlKey
from vestnik.core.tasks import retrying_task

logger = logging.getLogger(__name__)

_collected: ContextVar[set[str] | None] = ContextVar("vestnik_front_cache_keys", default=None)

# Site-wide keys every page type shares. Each app names its own keys in its
# `cache_keys.py` (an expert, a term, an entity, a poll) and registers below
# what a change to its models purges; core knows none of them.
ALL_LISTS = "list:all"  # home, feeds, sitemap: every published article
NAVIGATION = "nav"  # the header menu on every page


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def under_key(page_id: int) -> str:
    """A listing of the pages below this one (a blog's posts, a section's articles)."""
    return f"list:under:{page_id}"


PurgeKeys = Callable[[Any], set[str]]

_page_purge_keys: list[PurgeKeys] = []


def model_purge_keys_register(model: type[Any], keys_for: PurgeKeys) -> None:
    """Purge `keys_for(instance)` whenever an instance of `model` is saved or deleted.

    Each app calls this from its `AppConfig.ready()` for the models it owns.
    """

    def changed(instance: Any, **kwargs: Any) -> None:
        cached_urls_purge(keys=keys_for(instance))

    label = model._meta.label_lower
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"front-cache-{label}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"front-cache-del-{label}")


def page_purge_keys_register(keys_for: PurgeKeys) -> None:
    """Add what an app knows about where a page appears (its entities, its authors).

    `keys_for` gets the specific page and returns extra keys (or an empty set).
    """
    if keys_for not in _page_purge_keys:
        _page_purge_keys.append(keys_for)


def page_purge_keys(page: Page) -> set[str]:
    """Every key whose pages show `page`: its own answer, then each app's."""
    specific = page.specific if hasattr(page, "specific") else page
    own = getattr(specific, "front_cache_purge_keys", None)
    # A page type that is never cached still shows up in menus and lists.
    keys = {page_key(page.pk), ALL_LISTS, NAVIGATION} if own is None else set(own())
    for keys_for in _page_purge_keys:
        keys.update(keys_for(specific))
    return keys


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def depends_on(*keys: str) -> None:
    """Note that the response being rendered shows what these keys name."""
    collected = _collected.get()
    if collected is not None:
        collected.update(keys)


@contextmanager
def collecting() -> Iterator[set[str]]:
    keys: set[str] = set()
    token = _collected.set(keys)
    try:
        yield keys
    finally:
        _collected.reset(token)


def _fingerprint(url: str, keys: Iterable[str]) -> tuple[str, str]:
    url_digest = hashlib.sha256(url.encode()).hexdigest()
    keys_digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()
    return f"vestnik:front-cache:recorded:{url_digest}", keys_digest


def cached_url_record(*, url: str, keys: Iterable[str]) -> None:
    """Remember which keys the page at `url` depends on, for purging it later.

    A page rendered again with the same keys costs one cache read, not a write:
    the fingerprint of what was last recorded is kept in the cache.
    """
    keys = sorted(set(keys))
    marker, digest = _fingerprint(url, keys)
    try:
        if cache.get(marker) == digest:
            return
    except Exception:
        logger.warning("cache unavailable while recording front-cache keys", exc_info=True)
    url = url[: CachedUrlKey.URL_MAX_LENGTH]
    with transaction.atomic():
        CachedUrlKey.objects.filter(url=url).exclude(key__in=keys).delete()
        CachedUrlKey.objects.bulk_create(
            [CachedUrlKey(url=url, key=key[: CachedUrlKey.KEY_MAX_LENGTH]) for key in keys],
            ignore_conflicts=True,
        )
    try:
        cache.set(marker, digest, timeout=None)
    except Exception:
        logger.warning("cache unavailable while recording front-cache keys", exc_info=True)


def cached_urls_for(keys: Iterable[str]) -> list[str]:
    return sorted(set(CachedUrlKey.objects.filter(key__in=set(keys)).values_list("url", flat=True)))


def cached_urls_purge(*, keys: Iterable[str]) -> None:
    """After the transaction commits: every page showing these keys leaves the caches.

    The application's own page cache moves to a new generation at once (cheap
    and total). The URLs recorded with the keys are forgotten here, so they
    are recorded afresh with their new keys when next rendered, and handed to
    the task worker, which purges them from every front cache and retries
    while nginx is unreachable (`front_cache_purge_task`).
    """
    keys = set(keys)

    def purge() -> None:
        page_cache.invalidate_all()
        if enabled() and keys:
            urls = cached_urls_forget(keys=keys)
            if urls:
                front_cache_purge_task.enqueue(urls)

    transaction.on_commit(purge)


def cached_urls_forget(*, keys: Iterable[str]) -> list[str]:
    """The URLs recorded with these keys, no longer recorded (they are about to be purged)."""
    urls = cached_urls_for(keys)
    if urls:
        CachedUrlKey.objects.filter(url__in=urls).delete()
        for url in urls:
            _forget_fingerprint(url)
    return urls


class PurgeFailed(ConnectionError):
    """A front cache could not be reached; the purge task tries again later."""


def front_cache_purge_urls(urls: list[str]) -> int:
    """Purge these URLs from every configured front cache (and CDN backend)."""
    failures: list[str] = []
    for backend in get_backends().values():
        if isinstance(backend, NginxPurgeBackend):
            failures.extend(backend.purge_all(urls))
        else:
            backend.purge_batch(urls)
    if failures:
        raise PurgeFailed(f"{len(failures)} of {len(urls)} purges failed: {failures[0]}")
    logger.info("front cache purged", extra={"purged_urls": len(urls)})
    return len(urls)


@retrying_task(attempts=8, backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=10))
def front_cache_purge_task(urls: list[str]) -> int:
    """Purge these URLs from nginx (and a CDN); retried while a front cache is unreachable."""
    return front_cache_purge_urls(urls)


def _forget_fingerprint(url: str) -> None:
    marker, _ = _fingerprint(url, ())
    try:
        cache.delete(marker)
    except Exception:
        logger.warning("cache unavailable while purging", exc_info=True)


class NginxPurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge backend, for nginx with the cache-purge module.

    nginx answers 404 to a PURGE of a page it does not hold (never requested,
    or already evicted); for us that is success, not an error worth logging.
    """

    def purge(self, url: str) -> None:
        if failure := self._purge_one(url):
            raise PurgeFailed(failure)

    def purge_all(self, urls: list[str]) -> list[str]:
        """Try every URL; the failures, to be retried all together (purging is idempotent)."""
        return [failure for url in urls if (failure := self._purge_one(url))]

    def _purge_one(self, url: str) -> str | None:
        # nginx keeps each page twice, as it is and gzipped (deploy/nginx/vestnik-proxy.conf).
        for encoding in ("identity", "gzip"):
            if failure := self._purge_copy(url, encoding):
                return failure
        return None

    def _purge_copy(self, url: str, encoding: str) -> str | None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        request = Request(  # noqa: S310 (the purge URL is our own setting, http only)
            urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={
                "Host": host,
                "User-Agent": "Vestnik-front-cache",
                "Accept-Encoding": encoding,
            },
            method="PURGE",
        )
        try:
            with urlopen(request, timeout=5):  # noqa: S310 (as above)
                return None
        except HTTPError as error:
            if error.code == 404:
                return None
            return f"{url}: HTTP {error.code} from {self.cache_netloc}"
        except (URLError, OSError) as error:
            return f"{url}: {getattr(error, 'reason', error)} ({self.cache_netloc})"
