"""Site chrome: navigation and the language switch."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from vestnik.core.selectors import main_navigation_pages

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


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in every interface language, as plain links (no form, no CSRF)."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    return [
        {
            "code": code,
            "name": {"ru": "Русский", "en": "English"}.get(code, code),
            "short": code.upper() if code != "ru" else "RU",
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
