"""Browsing by country, region and topic; the site feeds; robots.txt.

Every response here is the same for every anonymous reader, so each one is
offered to the anonymous page cache (see `core.page_cache`).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from vestnik.articles.selectors import with_bylines
from vestnik.authors.selectors import experts_directory_url
from vestnik.core import front_cache
from vestnik.discovery import feeds
from vestnik.discovery.metadata import absolute_url
from vestnik.discovery.selectors import (
    articles_tagged,
    term_feed_urls,
    terms_with_articles,
)
from vestnik.discovery.vocabulary import VOCABULARIES

ARTICLES_PER_PAGE = 20

KIND_TITLES = {"countries": _("Countries"), "regions": _("Regions"), "topics": _("Topics")}
KIND_LABELS = {"countries": _("Country"), "regions": _("Region"), "topics": _("Topic")}


def _cacheable(response: HttpResponse, *keys: str) -> HttpResponse:
    """Safe for the page caches; `keys` name what the response lists (see core.front_cache)."""
    front_cache.depends_on(front_cache.NAVIGATION, front_cache.SITE_POLL, *keys)
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response


def _page_or_404(paginator: Paginator, number: str) -> Page:
    if not number.isdigit() or not 1 <= int(number) <= paginator.num_pages:
        raise Http404
    return paginator.page(int(number))


def term_index(request: HttpRequest, kind: str) -> HttpResponse:
    return _cacheable(
        TemplateResponse(
            request,
            "pages/discovery/term_index.html",
            {"kind": kind, "title": KIND_TITLES[kind], "terms": terms_with_articles(kind)},
        ),
        front_cache.TERM_INDEXES,
    )


def term_page(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    term = get_object_or_404(VOCABULARIES[kind], slug=slug)
    articles_page = _page_or_404(
        Paginator(articles_tagged(term), ARTICLES_PER_PAGE), request.GET.get("page", "1")
    )
    articles_page.object_list = with_bylines(articles_page.object_list)
    rss_url, atom_url = term_feed_urls(term)
    return _cacheable(
        TemplateResponse(
            request,
            "pages/discovery/term_page.html",
            {
                "term": term,
                "kind": kind,
                "kind_label": KIND_LABELS[kind],
                "kind_title": KIND_TITLES[kind],
                "articles_page": articles_page,
                "term_feed_url": rss_url,
                "term_atom_url": atom_url,
                # The experts directory filters by country and topic.
                "experts_filter": {"countries": "country", "topics": "topic"}.get(kind),
                "experts_url": experts_directory_url(),
            },
        ),
        front_cache.term_key(kind, term.pk),
    )


def term_feed(request: HttpRequest, kind: str, slug: str, *, atom: bool = False) -> HttpResponse:
    term = get_object_or_404(VOCABULARIES[kind], slug=slug)
    return _cacheable(
        feeds.term_feed(request, term, atom=atom), front_cache.term_key(kind, term.pk)
    )


def articles_feed(request: HttpRequest, *, atom: bool = False) -> HttpResponse:
    return _cacheable(feeds.articles_feed(request, atom=atom), front_cache.ALL_LISTS)


# Search result pages are endless combinations of the same articles.
ROBOTS_DISALLOW = ("/admin/", "/search/", "/en/search/")


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {absolute_url(request, '/sitemap.xml')}")
    return _cacheable(
        HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    )
