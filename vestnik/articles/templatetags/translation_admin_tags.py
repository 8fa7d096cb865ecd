"""The article editor's «Translations» panel reads its rows here (`articles.selectors`)."""

from __future__ import annotations

from django import template

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import TranslationStatus, translation_status

register = template.Library()


@register.simple_tag
def article_translations(article: ArticlePage) -> list[TranslationStatus]:
    if article.pk is None:
        return []
    return translation_status(article)
