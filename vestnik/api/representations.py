"""Models as the API's JSON: one function per shape, reading only what was loaded.

Every function that shows something notes its front-cache key
(`core.front_cache.depends_on`), the same key the page showing it carries, so a
change purges the API's copies with the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.snippets.blocks import SnippetChooserBlock

from vestnik.articles.models import AnalysisIndexPage, ArticlePage, BlogPage
from vestnik.authors.cache_keys import expert_key
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.locales import language_of
from vestnik.vocabulary.cache_keys import term_key
from vestnik.vocabulary.models import VocabularyTerm
from vestnik.vocabulary.terms import vocabulary_kind


def absolute(request: HttpRequest, path: str | None) -> str | None:
    if not path:
        return None
    return path if "://" in path else request.build_absolute_uri(path)


def api_url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api-v1:{name}", args=args))


def page_url(request: HttpRequest, page: Page) -> str | None:
    return absolute(request, page.get_url(request))


def term(request: HttpRequest, value: VocabularyTerm) -> dict[str, Any]:
    kind = vocabulary_kind(value)
    front_cache.depends_on(term_key(kind, value.pk))
    # The site's own page of the term, in Russian (no language prefix).
    with translation.override("ru"):
        url = reverse("discovery:term", args=[kind, value.slug])
    return {
        "slug": value.slug,
        "name": value.name_ru,
        "name_en": value.name_en,
        "url": absolute(request, url) or "",
    }


def person(request: HttpRequest, expert: Expert) -> dict[str, Any]:
    front_cache.depends_on(expert_key(expert.pk))
    return {
        "slug": expert.slug,
        "name": expert.full_name,
        "name_en": expert.english_name,
        "url": absolute(request, expert.get_profile_url()),
        "api_url": api_url(request, "expert", expert.slug),
    }


def section(
    request: HttpRequest, blog: BlogPage | None, analysis: AnalysisIndexPage | None
) -> dict[str, Any] | None:
    if blog is not None:
        return {
            "kind": "blog",
            "slug": blog.slug,
            "title": blog.title,
            "url": page_url(request, blog),
        }
    if analysis is not None:
        return {
            "kind": "analysis",
            "slug": "analysis",
            "title": analysis.title,
            "url": page_url(request, analysis),
        }
    return None


def article_summary(
    request: HttpRequest, article: ArticlePage, analysis: AnalysisIndexPage | None = None
) -> dict[str, Any]:
    """An article readied by `articles.selectors.with_bylines` and prefetched terms."""
    front_cache.depends_on(front_cache.page_key(article.pk))
    return {
        "id": article.pk,
        "api_url": api_url(request, "article", article.pk),
        "url": page_url(request, article),
        "language": language_of(article.locale_id),
        "title": article.title,
        "lead": article.lead,
        "publication_date": article.publication_date,
        "authors": [person(request, e) for e in article.listing_authors],  # type: ignore[attr-defined]
        "section": section(request, article.listing_blog, analysis),  # type: ignore[attr-defined]
        "countries": [term(request, t) for t in article.countries.all()],
        "regions": [term(request, t) for t in article.regions.all()],
        "topics": [term(request, t) for t in article.topics.all()],
    }


def block_value(block: blocks.Block, value: Any) -> Any:
    """A StreamField value as data: rich text as HTML, chosen objects by id."""
    if value is None:
        return None
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source)
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_value(child, value.get(name)) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, item) for item in value]
    if isinstance(block, ImageChooserBlock):
        return {
            "id": value.pk,
            "title": value.title,
            "url": value.file.url,
            "width": value.width,
            "height": value.height,
        }
    if isinstance(block, SnippetChooserBlock):
        return {"id": value.pk}
    if isinstance(block, EmbedBlock):
        return value.url
    return block.get_api_representation(value)
