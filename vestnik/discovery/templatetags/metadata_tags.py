"""`{% page_metadata as meta %}` for `components/meta.html`."""

from __future__ import annotations

from typing import Any

from django import template

from vestnik.core import fragments
from vestnik.discovery.metadata import PageMetadata
from vestnik.discovery.metadata import page_metadata as build_page_metadata

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context: template.Context) -> PageMetadata | None:
    """A Wagtail page's metadata is kept as a fragment: the same for every reader of its URL.

    The absolute URL names all it depends on (the page or view, its `?page=`,
    the language); `core.fragments` adds the content generation and skips previews.
    """
    flat: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    request = flat.get("request")
    if request is None or (flat.get("page") is None and not flat.get("head_by_url")):
        # Other views (search, errors) describe themselves per request: an error page's URL
        # is whatever a crawler made up, nothing worth keeping. Views whose head is the same
        # for every reader of their URL (term and entity pages) say so with `head_by_url`.
        return build_page_metadata(flat)
    return fragments.cached(
        "page-metadata",
        [request.build_absolute_uri()],
        lambda: build_page_metadata(flat),
        request=request,
    )
