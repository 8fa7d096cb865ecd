"""Browsing by country, region and topic; the site feeds; robots.txt.

Every response here is the same for every anonymous reader, so each one is
offered to the anonymous page cache (see `core.page_cache`).
"""

from __future__ import annotations

from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Site
from wagtail.views import serve

from vestnik.articles.models import AnalysisIndexPage, BlogPage
from vestnik.articles.selectors import with_bylines
from vestnik.authors.cache_keys import expert_key
from vestnik.authors.directory import experts_directory_url
from vestnik.core import fragments, front_cache
from vestnik.core.locales import in_language
from vestnik.core.selectors import visible_to_public
from vestnik.core.site_identity import absolute_url
from vestnik.discovery import feeds
from vestnik.discovery.selectors import (
    articles_tagged,
    events_tagged,
    publications_tagged,
    term_feed_urls,
    terms_with_articles,
)
from vestnik.events.models import EventPage
from vestnik.publications.models import PublicationPage
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.terms import VOCABULARIES

ARTICLES_PER_PAGE = 20

KIND_TITLES = {"countries": _("Countries"), "regions": _("Regions"), "topics": _("Topics")}
KIND_LABELS = {"countries": _("Country"), "regions": _("Region"), "topics": _("Topic")}


def _cacheable(response: HttpResponse, *keys: str) -> HttpResponse:
    """Safe for the page caches; `keys` name what the response lists (see core.front_cache)."""
    front_cache.depends_on(front_cache.NAVIGATION, *keys)
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response


def term_index(request: HttpRequest, kind: str) -> HttpResponse:
    return _cacheable(
        TemplateResponse(
            request,
            "pages/discovery/term_index.html",
            {"kind": kind, "title": KIND_TITLES[kind], "terms": terms_with_articles(kind)},
        ),
        TERM_INDEXES,
    )


def term_page(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    term = get_object_or_404(VOCABULARIES[kind], slug=slug)
    articles_page = fragments.listing_page(
        request,
        "term",
        [kind, term.pk],
        lambda: articles_tagged(term),
        per_page=ARTICLES_PER_PAGE,
        prepare=with_bylines,
    )
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
                # Called by the template only when its fragment is not kept.
                "term_publications": lambda: publications_tagged(term),
                "term_events": lambda: events_tagged(term),
                "term_feed_url": rss_url,
                "term_atom_url": atom_url,
                # The experts directory filters by country and topic.
                "experts_filter": {"countries": "country", "topics": "topic"}.get(kind),
                "experts_url": experts_directory_url(),
                # Its <head> is the same for every reader of the URL (base.html).
                "head_by_url": True,
            },
        ),
        term_key(kind, term.pk),
    )


def term_feed(request: HttpRequest, kind: str, slug: str, *, atom: bool = False) -> HttpResponse:
    term = get_object_or_404(VOCABULARIES[kind], slug=slug)
    return _cacheable(feeds.term_feed(request, term, atom=atom), term_key(kind, term.pk))


def articles_feed(request: HttpRequest, *, atom: bool = False) -> HttpResponse:
    return _cacheable(feeds.articles_feed(request, atom=atom), front_cache.ALL_LISTS)


# Page types whose «…/feed/» is a feed: a blog, and the sections that list articles,
# publications or events. Found by the pages they hold, not by the floor above's names.
def _feed_section_types() -> tuple[type[Page], ...]:
    return (
        AnalysisIndexPage,
        *PublicationPage.allowed_parent_page_models(),
        *EventPage.allowed_parent_page_models(),
    )


def blog_feed(request: HttpRequest, page_path: str, *, atom: bool = False) -> HttpResponse:
    """«<blog>/feed/» and «<blog>/feed/atom/»: an expert's blog, or a section, as RSS or Atom.

    Routed here before Wagtail's catch-all, so the page types need no route of
    their own. The page is looked up in the URL's language, under that
    language's home (/en/blogs/<expert>/feed/ is the English blog's feed). A
    path that is not a public live blog or section in that language goes on to
    Wagtail, which serves a page of that name or a 404 (and guards private
    pages as it always does).
    """
    site = Site.find_for_request(request)
    page = None
    if site is not None:
        # The home in the URL's language is a translation of the site's root page.
        home_url_path = in_language(
            Page.objects.filter(translation_key=site.root_page.translation_key)
        ).values("url_path")[:1]
        url_path = Concat(Subquery(home_url_path), Value(page_path), output_field=CharField())
        # A blog first, as most feeds are, in one query; then the sections.
        page = (
            visible_to_public(in_language(BlogPage.objects.filter(url_path=url_path)))
            .select_related("expert")
            .first()
        )
        if page is None:
            page = (
                visible_to_public(
                    in_language(Page.objects.type(*_feed_section_types()).filter(url_path=url_path))
                )
                .specific()
                .first()
            )
    if page is None:
        response: HttpResponse = serve(request, f"{page_path}feed/{'atom/' if atom else ''}")
        return response
    if isinstance(page, BlogPage):
        return _cacheable(
            feeds.blog_feed(request, page, atom=atom),
            front_cache.page_key(page.pk),
            front_cache.under_key(page.pk),
            expert_key(page.expert_id),
        )
    return _cacheable(
        feeds.section_feed(request, page, atom=atom),
        front_cache.page_key(page.pk),
        front_cache.under_key(page.pk),
    )


# Search result pages are endless combinations of the same articles.
ROBOTS_DISALLOW = ("/admin/", "/search/", "/en/search/")


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {absolute_url(request, '/sitemap.xml')}")
    return _cacheable(
        HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    )
