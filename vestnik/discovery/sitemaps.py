"""sitemap.xml: every public page, expert profile and tag page, in both languages.

Django's sitemap framework with `i18n` and `alternates`: each URL is listed
once per language with `hreflang` links to the others. Locations are absolute
from the Wagtail site's root URL, as canonical links are (see `metadata`).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from wagtail.models import Page, Site

from vestnik.authors.cache_keys import EXPERT_DIRECTORY
from vestnik.authors.directory import experts_directory_url
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.selectors import visible_to_public
from vestnik.core.site_identity import site_root_url
from vestnik.discovery.selectors import term_url, terms_with_articles
from vestnik.vocabulary.cache_keys import TERM_INDEXES
from vestnik.vocabulary.models import VocabularyTerm
from vestnik.vocabulary.terms import VOCABULARIES


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, root_url: str) -> None:
        parts = urlsplit(root_url)
        self.root_protocol = parts.scheme or "https"
        self.root_domain = parts.netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return self.root_protocol

    def get_domain(self, site: Any = None) -> str:
        return self.root_domain


class PagesSitemap(SiteSitemap):
    """Home, audience sections, the experts directory, blogs and articles."""

    def items(self) -> list[Page]:
        # Pages outside every site's tree (Wagtail's own placeholder) have no URL.
        in_sites = Q()
        for root_path in Site.objects.values_list("root_page__path", flat=True):
            in_sites |= Q(path__startswith=root_path)
        if not in_sites:
            return []
        return list(visible_to_public(Page.objects.filter(in_sites)).order_by("path"))

    def location(self, item: Page) -> str:
        # Wagtail reverses page URLs in the active language, which the framework sets.
        return item.get_url() or ""

    def lastmod(self, item: Page) -> datetime.datetime | None:
        return item.last_published_at


class ExpertsSitemap(SiteSitemap):
    def items(self) -> list[Any]:
        if not experts_directory_url():
            return []  # profiles live under the experts directory
        return list(Expert.objects.order_by("slug"))

    def location(self, item: Any) -> str:
        return item.get_profile_url() or ""


class TermsSitemap(SiteSitemap):
    """Country, region and topic pages that have articles."""

    def items(self) -> list[VocabularyTerm]:
        return [term for kind in VOCABULARIES for term in terms_with_articles(kind)]

    def location(self, item: VocabularyTerm) -> str:
        return term_url(item)

    def lastmod(self, item: VocabularyTerm) -> datetime.datetime | None:
        latest: datetime.datetime | None = getattr(item, "latest_article", None)
        return latest


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    root_url = site_root_url(request)
    sitemaps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
        "pages": PagesSitemap(root_url),
        "experts": ExpertsSitemap(root_url),
        "terms": TermsSitemap(root_url),
    }
    response: HttpResponse = sitemap(request, sitemaps=sitemaps)
    front_cache.depends_on(front_cache.ALL_LISTS, EXPERT_DIRECTORY, TERM_INDEXES)
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response
