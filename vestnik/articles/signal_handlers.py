"""Wiring the articles app into the page machinery: context providers and purges."""

from __future__ import annotations

from typing import Any

from vestnik.articles.cache_keys import SHARE_LINKS
from vestnik.articles.models import ArticlePage, BlogPage, ShareNetwork, ShareSettings
from vestnik.articles.selectors import article_page_context, blog_page_context
from vestnik.core import front_cache
from vestnik.core.pages import page_context_register


def _share_links_keys(instance: Any) -> set[str]:
    return {SHARE_LINKS}


def register() -> None:
    page_context_register(ArticlePage, article_page_context)
    page_context_register(BlogPage, blog_page_context)
    for model in (ShareSettings, ShareNetwork):
        front_cache.model_purge_keys_register(model, _share_links_keys)
