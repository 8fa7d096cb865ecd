"""Wagtail's routing, remembered per content generation.

Stock Wagtail routes every request from scratch: the site by hostname (a
query), its root page and the root's specific row (two), then one child and
its specific row per level of the URL (an article at /blogs/<blog>/<slug>/ is
six more), and before serving, the view restrictions of the page and its
ancestors (two). None of that changes between two publishes, so it is kept
under the page cache's generation (`page_cache.remember`), which moves on
every publish, unpublish, move, slug change, deletion of a live page, view
restriction change and Site change (`core.signal_handlers`):

- `CachedSiteMiddleware`: the `Site` for a hostname and port, with its root
  page's specific object, set as `request._wagtail_site`, which
  `Site.find_for_request` (and so Wagtail's `serve` and every `pageurl`) reads
  first;
- `CachedRoutingMixin`, on the site's root page class: which root serves the
  reader's language (Wagtail's `localized`: the English home for /en/), the
  page a path leads to and the path components left for it (a RoutablePage's sub-route such as
  `print/`). The page itself is read fresh, in one query for its specific row,
  and routes the rest itself, so liveness, sub-routes and 404s are decided by
  its own `route` on current data, every time;
- `CachedViewRestrictionsMixin`, on our page types: the ids of the
  `PageViewRestriction`s that apply to a page (its own and its ancestors').
  A public page — nearly all of them — needs no query at all; a private one
  reads its restrictions fresh (password, type, groups), so a reader is never
  let through on a remembered answer.

What is remembered is where pages are, never what they show or who may see
them. A remembered page that was deleted meanwhile is routed afresh. The
routing entries live at most `VESTNIK_CORE_ROUTING_CACHE_SECONDS` (one hour),
which also bounds a generation move lost to a cache outage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from vestnik.core import page_cache
from vestnik.core.locales import content_language, language_of

DEFAULT_SECONDS = 60 * 60

V = TypeVar("V", bound=Callable[..., Any])


def _timeout() -> int:
    return int(getattr(settings, "VESTNIK_CORE_ROUTING_CACHE_SECONDS", DEFAULT_SECONDS))


def _enabled() -> bool:
    return _timeout() > 0


def _remember(name: str, build: Callable[[], Any]) -> Any:
    return page_cache.remember(f"routing:{name}", build, timeout=_timeout())


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def site_for(hostname: str, port: int | str) -> Site | None:
    """Wagtail's site for a hostname and port, its root page's specific object loaded."""

    def build() -> Site | bool:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return False  # remembered too: `None` would mean "not cached"
        # Loaded now so that it travels with the site: routing starts from it.
        site.root_page = site.root_page.specific
        return site

    if not _enabled():
        found = build()
        return found or None
    found = _remember(f"site:{_digest(hostname, port)}", build)
    return found or None


def without_site(view: V) -> V:
    """Marks a view that needs no `Site` (the liveness probe must not touch the database)."""
    view.vestnik_without_site = True  # type: ignore[attr-defined]
    return view


class CachedSiteMiddleware:
    """`Site.find_for_request` from the routing cache (one cache read instead of a query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if getattr(view_func, "vestnik_without_site", False) or hasattr(request, "_wagtail_site"):
            return
        # The raw host, as Wagtail reads it: ALLOWED_HOSTS is CommonMiddleware's to enforce.
        hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
        request._wagtail_site = site_for(hostname, request.get_port())  # type: ignore[attr-defined]


def _route_target(root: Page, components: list[str]) -> tuple[int, int, int]:
    """(page id, its content type id, components it consumes) where Wagtail's walk stops.

    Wagtail walks down one slug at a time; at each live RoutablePage on the way
    it first tries the page's own sub-routes with the rest of the path. Every
    page's URL path is stored, so the pages on the path are one query; the walk
    is then repeated over them in memory.
    """
    prefixes = [
        root.url_path + "/".join(components[:length]) + "/"
        for length in range(1, len(components) + 1)
    ]
    on_path = list(
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path)
        .order_by("depth")
        .values_list("pk", "content_type_id", "depth", "live")
    )
    steps = [(root.pk, root.content_type_id, root.depth, root.live)]
    for step in on_path:
        # Contiguous levels only: a gap means the walk met a missing slug there.
        if step[2] != steps[-1][2] + 1:
            break
        steps.append(step)
    for pk, content_type_id, depth, live in steps[:-1]:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if live and model is not None and issubclass(model, RoutablePageMixin):
            rest = components[depth - root.depth :]
            try:
                cast(Any, model).get_resolver().resolve("/" + "/".join(rest) + "/")
            except Http404:
                continue
            return pk, content_type_id, depth - root.depth
    pk, content_type_id, depth, _ = steps[-1]
    return pk, content_type_id, depth - root.depth


def _specific(pk: int, content_type_id: int) -> Page | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    try:
        return model._default_manager.get(pk=pk)  # type: ignore[no-any-return]
    except Page.DoesNotExist:  # a specific model's is a subclass
        return None


class CachedRoutingMixin:
    """For the site's root page class: find the page a path leads to from the routing cache.

    Then that page, read fresh, routes what is left of the path: Wagtail's own
    `route` decides liveness, sub-routes and 404s.
    """

    @property
    def localized(self) -> Page:
        """The root in the reader's language, as Wagtail's `localized`, from the routing cache."""
        root = cast(Page, self)
        language = content_language()
        if language_of(root.locale_id) == language:
            return root
        if not _enabled():
            return super().localized  # type: ignore[misc, no-any-return]

        def find() -> Page | bool:
            # The translated root's specific object travels in the cache, as the site's
            # own root does (`site_for`): routing under /en/ then starts without a query.
            page: Page = super(CachedRoutingMixin, root).localized  # type: ignore[misc]
            return False if page.pk == root.pk else page.specific

        found = _remember(f"localized:{root.pk}:{language}", find)
        return found or root

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        root = cast(Page, self)
        if language_of(root.locale_id) != content_language():
            # No home in the reader's language: Wagtail would fall back to the other
            # language's tree and show its texts in this language's chrome.
            raise Http404
        if _enabled():
            target = _remember(
                f"route:{root.pk}:{_digest(*path_components)}",
                lambda: _route_target(root, path_components),
            )
        else:
            target = _route_target(root, path_components)
        pk, content_type_id, consumed = target
        page = _specific(pk, content_type_id)
        if page is None:
            # Deleted since it was remembered (a page that was never live: no purge moved
            # the generation). Route the way Wagtail does.
            return super().route(request, path_components)  # type: ignore[misc]
        if page.pk == root.pk:
            return super(CachedRoutingMixin, page).route(  # type: ignore[misc]
                request, path_components
            )
        return page.route(request, path_components[consumed:])


class CachedViewRestrictionsMixin:
    """For page types: which view restrictions apply, remembered; the restrictions read fresh."""

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        page = cast(Page, self)
        wagtails: Callable[[], QuerySet[PageViewRestriction]] = super().get_view_restrictions  # type: ignore[misc]
        if not _enabled():
            return wagtails()
        ids = _remember(
            f"restrictions:{page.pk}", lambda: tuple(wagtails().values_list("pk", flat=True))
        )
        if not ids:
            nothing = PageViewRestriction.objects.none()
            # Evaluated already: Wagtail's check iterates it and tests it for truth, which
            # would otherwise compile a query only to find it empty. (A chained copy,
            # `.order_by(…)` in the admin, starts afresh and is as empty.)
            nothing._result_cache = []
            return nothing
        return PageViewRestriction.objects.filter(pk__in=ids)
