"""Site chrome: navigation and the language switch."""

from __future__ import annotations

from typing import Any

from django import template

from vestnik.core.selectors import language_versions, main_navigation_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Audience sections, then experts and blogs; the one containing this page is current."""
    current = context.get("page")
    current_path = getattr(current, "path", "")
    return [
        {"page": item, "current": bool(current_path) and current_path.startswith(item.path)}
        for item in main_navigation_pages()
    ]


# Each language's name in itself, as language switches write them.
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """This page in every content language, as plain links (no form, no CSRF).

    Where the page has no translation the link goes to the nearest page that
    has one (`core.selectors.language_versions`), and `same_page` is false so
    the switch can say so.
    """
    request = context.get("request")
    if request is None:
        return []
    return [
        {
            "code": version.language,
            "name": LANGUAGE_NAMES.get(version.language, version.language),
            "short": version.language.upper(),
            "url": version.path,
            "current": version.current,
            "same_page": version.same_page,
        }
        for version in language_versions(request, context.get("page"))
    ]
