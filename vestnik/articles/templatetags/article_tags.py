"""Rendering helpers for article bodies."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from wagtail.rich_text import expand_db_html

from vestnik.core.typography import typograph_html

register = template.Library()


@register.simple_tag(takes_context=True)
def footnoted(context: dict[str, Any], value: Any) -> str:
    """Rich text with its [^key] references turned into numbered note links, typeset."""
    html = str(value)
    index = context.get("footnote_index")
    if index is not None:
        html = index.render(html)
    return mark_safe(typograph_html(html))  # noqa: S308 (rich text is sanitised by Wagtail on save)


@register.filter
def richtext_notes(source: str) -> str:
    """A note's rich text, expanded, without its outer paragraph: the backlink stays inline."""
    html = expand_db_html(source).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(typograph_html(html))  # noqa: S308 (rich text is sanitised by Wagtail on save)
