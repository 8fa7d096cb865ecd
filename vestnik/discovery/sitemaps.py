"""sitemap.xml: every public page, expert profile and tag page, in each language it exists in.

Each URL is listed once per language it exists in, with `xhtml:link hreflang`
alternates (and `x-default`, the Russian version) naming only the versions that
exist: a Wagtail page's translations that readers may see (the rule of
`core.selectors.language_versions`), an expert's profile in each language with
an experts directory, a country, region or topic page in each language it has
articles in. A URL with no other version has no alternates at all. Locations
are absolute from the Wagtail site's root URL, as canonical links are (see
`metadata`).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import cached_property

from wagtail.models import Page

from vestnik.authors.cache_keys import EXPERT_DIRECTORY
from vestnik.authors.directory import experts_directory_url
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.locales import content_languages, language_of
from vestnik.core.selectors import visible_to_public
from vestnik.core.site_identity import site_root_url
from vestnik.discovery.selectors import term_url, terms_with_articles_in_languages
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

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> Any:
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            # Alternates say "this, in another language": a URL alone in its
            # language has none (Django would list it as its own alternate).
            if sum(1 for a in url["alternates"] if a["lang_code"] != "x-default") < 2:
                url["alternates"] = []
        return urls


class PagesSitemap(SiteSitemap):
    """Home, audience sections, the experts directory, blogs and articles, in every locale.

    Each page is its own item (a translation is another page); its alternates
    are the public pages that share its `translation_key`.
    """

    i18n = False

    @cached_property
    def _pages(self) -> list[Page]:
        # The sites' home pages and their translations (the English home is a
        # sibling of the Russian one, not below it); pages outside every site's
        # tree (Wagtail's own placeholder) have no URL.
        roots = Page.objects.filter(
            translation_key__in=Page.objects.filter(sites_rooted_here__isnull=False).values(
                "translation_key"
            )
        )
        in_sites = Q()
        for root_path in roots.values_list("path", flat=True):
            in_sites |= Q(path__startswith=root_path)
        if not in_sites:
            return []
        return list(visible_to_public(Page.objects.filter(in_sites)).order_by("path"))

    @cached_property
    def _versions(self) -> dict[Any, dict[str, str]]:
        """{translation_key: {language: location}} of every listed page."""
        versions: dict[Any, dict[str, str]] = {}
        for page in self._pages:
            versions.setdefault(page.translation_key, {})[language_of(page.locale_id)] = (
                self.location(page)
            )
        return versions

    def items(self) -> list[Page]:
        return self._pages

    def location(self, item: Page) -> str:
        # Wagtail reverses a page's URL in its own locale's language: /en/… for English.
        return item.get_url() or ""

    def lastmod(self, item: Page) -> datetime.datetime | None:
        return item.last_published_at

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> Any:
        urls = super().get_urls(page, site, protocol)
        root = f"{self.root_protocol}://{self.root_domain}"
        for url in urls:
            versions = self._versions.get(url["item"].translation_key, {})
            if len(versions) < 2:
                continue
            url["alternates"] = [
                {"lang_code": code, "location": f"{root}{versions[code]}"}
                for code in content_languages()
                if versions.get(code)
            ]
            if versions.get(settings.LANGUAGE_CODE):
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": f"{root}{versions[settings.LANGUAGE_CODE]}",
                    }
                )
        return urls


class ExpertsSitemap(SiteSitemap):
    """Profiles, in each language that has an experts directory (they live under it)."""

    @cached_property
    def _languages(self) -> list[str]:
        languages = []
        for code in content_languages():
            with translation.override(code):
                if experts_directory_url():
                    languages.append(code)
        return languages

    def get_languages_for_item(self, item: Any) -> list[str]:
        return self._languages

    def items(self) -> list[Any]:
        if not self._languages:
            return []
        return list(Expert.objects.order_by("slug"))

    def location(self, item: Any) -> str:
        return item.get_profile_url() or ""


class TermsSitemap(SiteSitemap):
    """Country, region and topic pages, in each language they have public articles in.

    The page exists in both languages, but in one without articles it is an
    empty list, which its language's term index does not link to either.
    """

    def items(self) -> list[VocabularyTerm]:
        return [term for kind in VOCABULARIES for term in terms_with_articles_in_languages(kind)]

    def get_languages_for_item(self, item: VocabularyTerm) -> list[str]:
        languages: list[str] = getattr(item, "languages", [])
        return languages

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
