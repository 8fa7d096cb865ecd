"""Rendered fragments of pages, kept until the content they show changes.

The whole-page cache (`page_cache`) serves anonymous readers only. Everyone
else — editors, signed-in readers, the first reader after a purge, crawlers
with a query string — gets a page rendered by Django, and most of an article's
cost is parts that are the same for all of them: the body with its footnotes,
table of contents and citation, the author box, the insights panel, related
articles, the poll widget. Those parts are cached here as HTML.

A fragment's key holds:

- the content generation (`page_cache.current_generation`): every publish,
  unpublish, move, deletion, privacy change and every change to a model an app
  registered purge keys for (experts, terms, polls, share settings, images,
  insights corrections) moves it on, so a fragment never outlives what it shows:
  a renamed or moved page linked from rich text, a poll edited in the body, a
  related article published elsewhere;
- the active language (interface strings, URLs under /en/);
- the caller's parts: the page and its live revision for a body, the path for
  a widget whose form returns the reader to this page.

What it never holds:

- a preview: Wagtail marks preview requests (`request.is_preview`), and a
  draft is rendered afresh every time and never stored, so an editor always
  sees their own draft and a draft never fills the published cache;
- a request with a query string other than `?page=`: the poll widget answers a
  no-JavaScript vote (`?poll=…&voted=1`) with that reader's own result;
- anything per reader or per response (CSRF tokens, CSP nonces): templates keep
  those outside the fragments.

A fragment may depend on time as well as content (a poll opens or closes at a
set moment): while it is built, renderers call `expires_at()` and the fragment
is kept no longer than that. The front cache's surrogate keys noted while a
fragment is built are stored with it and noted again on every hit, so nginx is
purged for a page whether its fragments were rendered or read.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from vestnik.core import front_cache, page_cache

T = TypeVar("T")

# One day: the generation ends a fragment's life; the timeout only bounds memory.
DEFAULT_SECONDS = 24 * 60 * 60

_expiry: ContextVar[datetime.datetime | None] = ContextVar("vestnik_fragment_expiry", default=None)
_building: ContextVar[bool] = ContextVar("vestnik_fragment_building", default=False)


def _timeout() -> int:
    return int(getattr(settings, "VESTNIK_CORE_FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS))


def fragments_allowed(request: HttpRequest | None, *, any_query: bool = False) -> bool:
    """Whether this response may be assembled from (and fill) the fragment cache.

    `any_query`: the fragment shows nothing a query string could change (the
    menu), so it may be used on a search result or a vote's return as well.
    """
    if not getattr(settings, "VESTNIK_CORE_FRAGMENT_CACHE_ENABLED", True):
        return False
    if request is None:
        return True
    if getattr(request, "is_preview", False):
        return False
    return any_query or set(request.GET.keys()) <= page_cache.CACHEABLE_QUERY_KEYS


def expires_at(moment: datetime.datetime) -> None:
    """The fragment being built shows something that changes at `moment` (a poll closing)."""
    if not _building.get():
        return
    current = _expiry.get()
    if current is None or moment < current:
        _expiry.set(moment)


def fragment_key(name: str, parts: Iterable[object]) -> str:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return (
        f"vestnik:fragment:{page_cache.current_generation()}:{get_language() or '-'}"
        f":{name}:{digest}"
    )


def cached(
    name: str,
    parts: Iterable[object],
    build: Callable[[], T],
    *,
    request: HttpRequest | None,
    any_query: bool = False,
) -> T:
    """What `build()` returns (picklable), from the cache while the content it shows is unchanged.

    `name` and `parts` must name everything the value depends on besides the
    content generation and the language (see the module's docstring).
    """
    if not fragments_allowed(request, any_query=any_query):
        return build()
    key = fragment_key(name, parts)
    entry = cache.get(key)
    if entry is not None:
        value, keys = entry
        front_cache.depends_on(*keys)
        return value  # type: ignore[no-any-return]
    outer_expiry = _expiry.set(None)
    outer_building = _building.set(True)
    try:
        with front_cache.collecting() as keys:
            value = build()
        expiry = _expiry.get()
    finally:
        _expiry.reset(outer_expiry)
        _building.reset(outer_building)
    front_cache.depends_on(*keys)
    timeout = _timeout()
    if expiry is not None:
        # An enclosing fragment shows this one: it expires no later.
        expires_at(expiry)
        timeout = min(timeout, int((expiry - timezone.now()).total_seconds()))
    if timeout > 0:
        cache.set(key, (value, sorted(keys)), timeout=timeout)
    return value


def cached_fragment(
    name: str,
    parts: Iterable[object],
    build: Callable[[], str],
    *,
    request: HttpRequest | None,
    any_query: bool = False,
) -> SafeString:
    """HTML that `build()` renders from templates (which escape), cached as `cached` does."""
    html = cached(name, parts, lambda: str(build()), request=request, any_query=any_query)
    return mark_safe(html)  # noqa: S308 (rendered by our templates, stored by us)


class ListingPage(Generic[T]):
    """One `?page=` of a listing whose objects are read only when something uses them.

    `number` is known at once (titles say «page 2» outside the fragments); the
    objects, the paginator and everything else of Django's `Page` come on first
    use, which a page assembled from cached fragments never makes.
    """

    def __init__(self, number: int, build: Callable[[], Page[T]]) -> None:
        self.number = number
        self._build = build
        self._page: Page[T] | None = None

    def _loaded(self) -> Page[T]:
        if self._page is None:
            self._page = self._build()
        return self._page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loaded(), name)

    def __getitem__(self, index: int | slice) -> Any:
        if not isinstance(index, (int, slice)):
            # Templates try `page["number"]` before `page.number`: answer without loading.
            raise TypeError("a listing page is indexed by position")
        return self._loaded()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def listing_page(
    request: HttpRequest,
    name: str,
    parts: Iterable[object],
    objects: Callable[[], Any],
    *,
    per_page: int,
    prepare: Callable[[Any], Sequence[T]] = list,
) -> ListingPage[T]:
    """The page of a listing that `?page=` asks for; a number past the end is a 404.

    The listing's number of pages is remembered per content generation (what a
    listing holds changes only with a publish, unpublish, move or privacy
    change), so a page served from fragments costs no count; `name` and
    `parts` name the listing. `prepare` turns the page's objects into what the
    template shows (bylines read in one query, say).
    """
    requested = request.GET.get("page", "1")
    key = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    num_pages = page_cache.remember(
        f"listing-pages:{name}:{key}:{per_page}",
        lambda: Paginator(objects(), per_page).num_pages,
        timeout=_timeout(),
    )
    if not requested.isdigit() or not 1 <= int(requested) <= num_pages:
        raise Http404
    number = int(requested)

    def build() -> Page[T]:
        page: Page[T] = Paginator(objects(), per_page).page(number)
        page.object_list = prepare(page.object_list)
        return page

    return ListingPage(number, build)
