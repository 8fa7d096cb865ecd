"""`{% page_metadata as meta %}` for `components/meta.html`."""

from __future__ import annotations

from typing import Any

from django import template

from vestnik.discovery.metadata import PageMetadata
from vestnik.discovery.metadata import page_metadata as build_page_metadata

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context: template.Context) -> PageMetadata | None:
    flat: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    return build_page_metadata(flat)
