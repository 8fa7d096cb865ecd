"""The language of the content a request reads, and of a page's locale.

Russian is the site's first language at `/`, English lives under `/en/`
(docs/translations.md). The interface language (Django's) and the content
language are the same thing here: `/en/` shows English chrome around English
texts only. This module is the one place that turns Django's active language
into one of the content languages, and a page's `locale_id` into its language
code without a query per page.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.translation import get_language

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

Q = TypeVar("Q", bound=QuerySet[Model])

_language_codes: dict[int, str] = {}


def content_language() -> str:
    """'ru' or 'en': the content language of the active Django language."""
    try:
        return str(get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE))
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def in_language(queryset: Q, language: str | None = None) -> Q:
    """Pages (or translatable snippets) in `language`, by default the reader's."""
    return queryset.filter(locale__language_code=language or content_language())


def language_of(locale_id: int) -> str:
    """A locale's language code, remembered: a list of pages asks once per locale, not per page."""
    code = _language_codes.get(locale_id)
    if code is None:
        code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
        if code is None:
            return str(settings.LANGUAGE_CODE)
        _language_codes[locale_id] = code
    return code


def forget_locales() -> None:
    """After a locale is added, changed or deleted (`core.signal_handlers`)."""
    _language_codes.clear()
