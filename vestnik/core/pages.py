"""What every Vestnik page type shares: cacheable responses and registered context.

A page type that mixes in `CachedPageMixin` tells the caches two things: what a
rendered page shows (`front_cache_keys`, recorded while it renders) and where
the page itself appears (`front_cache_purge_keys`, purged when it changes).
Subclasses add what they know; other apps add theirs through
`front_cache.page_purge_keys_register`.

A page's template context beyond the page itself comes from providers that the
page's app registers in `AppConfig.ready()` (`page_context_register`). The
model module then never imports the selectors that read other pages — they
import the models, and a page class must exist before anything can query it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse

from wagtail.models import Page

from vestnik.core import front_cache
from vestnik.core.routing import CachedViewRestrictionsMixin

ContextProvider = Callable[[Any, HttpRequest], dict[str, Any]]

_context_providers: list[tuple[type[Page], ContextProvider]] = []


def page_context_register(model: type[Page], provider: ContextProvider) -> None:
    """`provider(page, request)` adds to the template context of every `model` page.

    Providers run in the order they were registered, after the page's own
    `get_context`; an app's provider may raise `Http404` (a page number past the end).
    """
    if (model, provider) not in _context_providers:
        _context_providers.append((model, provider))


def registered_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for model, provider in _context_providers:
        if isinstance(page, model):
            context.update(provider(page, request))
    return context


class CachedPageMixin(CachedViewRestrictionsMixin):
    """Marks a page's public responses as safe for the anonymous page cache.

    Its view restrictions are looked up through the routing cache (`core.routing`).

    Only pages whose HTML is the same for every anonymous reader use it; anything
    per-reader (a ballot, a session) comes from uncached endpoints.
    """

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        front_cache.depends_on(*self.front_cache_keys())
        response: HttpResponse = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if not hasattr(response, "vestnik_page_cache"):
            response.vestnik_page_cache = True  # type: ignore[attr-defined]
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)  # type: ignore[misc]
        context.update(registered_context(cast(Page, self), request))
        return context

    def front_cache_keys(self) -> set[str]:
        """What this page shows besides the cards on it (cards note themselves)."""
        page = cast(Page, self)
        return {front_cache.page_key(page.pk), front_cache.NAVIGATION}

    def front_cache_purge_keys(self) -> set[str]:
        """Where this page appears, so that a change to it purges exactly those pages.

        The page itself, every listing above it (its blog, section, home, feeds),
        and the menu when the page is in it. Subclasses add what they know:
        authors, vocabulary terms, entities.
        """
        page = cast(Page, self)
        keys = {front_cache.page_key(page.pk), front_cache.ALL_LISTS}
        keys.update(front_cache.under_key(pk) for pk in _ancestor_ids(page))
        if page.show_in_menus:
            keys.add(front_cache.NAVIGATION)
        return keys


def _ancestor_ids(page: Page) -> list[int]:
    steps = Page.steplen
    paths = [page.path[:length] for length in range(steps, len(page.path), steps)]
    return list(Page.objects.filter(path__in=paths).values_list("pk", flat=True))
