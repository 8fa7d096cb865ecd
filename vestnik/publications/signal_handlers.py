"""Wiring the publications app into the page machinery: context providers, purges."""

from __future__ import annotations

from vestnik.articles.models import ArticlePage
from vestnik.core import front_cache
from vestnik.core.pages import page_context_register
from vestnik.publications.cache_keys import series_purge_keys
from vestnik.publications.models import PublicationIndexPage, PublicationPage, PublicationSeries
from vestnik.publications.selectors import (
    article_related_publications_context,
    publication_index_context,
    publication_page_context,
)


def register() -> None:
    page_context_register(PublicationIndexPage, publication_index_context)
    page_context_register(PublicationPage, publication_page_context)
    # The reports behind an article, in its aside (articles know nothing of publications).
    page_context_register(ArticlePage, article_related_publications_context)
    front_cache.model_purge_keys_register(PublicationSeries, series_purge_keys)
