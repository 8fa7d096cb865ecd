"""Site-wide reads: what an anonymous reader may see, the main navigation, language versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.db.models.functions import Left, Length
from django.http import HttpRequest
from django.urls import translate_url

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from vestnik.core.locales import content_language, content_languages, in_language, language_of
from vestnik.core.page_cache import remember


def visible_to_public(pages: PageQuerySet) -> PageQuerySet:
    """The pages an anonymous reader may see: live and under no view restriction.

    The one rule every read path applies (listings, feeds, sitemap, search,
    entity pages): a page with a password or a login restriction, or below one
    (an article in a private blog), is left out. It means what Wagtail's
    `public()` means — a restriction's page is the page or an ancestor when its
    tree path is a prefix of the page's — but as a subquery: `public()` first
    reads every restriction, a query more on each page that lists anything.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Left(OuterRef("path"), Length("page__path"))
    )
    return pages.live().exclude(Exists(restricted))


def main_navigation_pages() -> list[Page]:
    """The home page's children marked «show in menus», read once per content generation.

    Every page shows the menu; a publish, move or privacy change moves the
    generation on (`page_cache.remember`), so it is never staler than the pages.
    """

    language = content_language()

    def read() -> list[Page]:
        menu = in_language(Page.objects.in_menu().filter(depth=3), language)
        return list(visible_to_public(menu).order_by("path"))

    return remember(f"main-navigation:{language}", read)


@dataclass(frozen=True)
class LanguageVersion:
    """Where a reader of this URL goes for another language.

    `same_page` is false when the page has no public translation in that
    language and `path` is the nearest page that has one (the blog, the home).
    """

    language: str
    path: str
    same_page: bool
    current: bool


def language_versions(request: HttpRequest, page: Page | None) -> list[LanguageVersion]:
    """This URL in every content language, the current one included, in settings order.

    Views outside the page tree (search, country and topic pages, polls, entity
    pages) exist in every language at the translated URL. A Wagtail page exists
    where it has a live, public translation; a sub-route of it (an expert's
    profile under /experts/, `print/` under an article) follows its page.
    Remembered on the request (the header and the page's head both ask) and,
    for a page, until content changes: every view of a page builds its head.
    """
    memo: dict[int | None, list[LanguageVersion]] = request.__dict__.setdefault(
        "_vestnik_language_versions", {}
    )
    key = getattr(page, "pk", None)
    if key not in memo:
        if key is None:
            memo[key] = _language_versions(request, page)
        else:
            where = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()
            memo[key] = remember(
                f"language-versions:{key}:{content_language()}:{where[:32]}",
                lambda: _language_versions(request, page),
            )
    return memo[key]


def _language_versions(request: HttpRequest, page: Page | None) -> list[LanguageVersion]:
    current = content_language()
    if page is None or not isinstance(page, Page) or not page.pk:
        return [
            LanguageVersion(code, translate_url(request.path, code), True, code == current)
            for code in content_languages()
        ]
    page_url = page.get_url(request=request) or request.path
    sub_route = request.path[len(page_url) :] if request.path.startswith(page_url) else ""
    # The trees of all languages are parallel (each home at depth 2), so the
    # translations of the page and of its ancestors are told apart by depth, and
    # the deepest one in a language is the nearest: one query for all of them.
    ancestor_paths = [
        page.path[:length] for length in range(2 * page.steplen, len(page.path) + 1, page.steplen)
    ]
    translations = visible_to_public(
        Page.objects.filter(
            translation_key__in=Page.objects.filter(path__in=ancestor_paths).values(
                "translation_key"
            )
        ).exclude(locale_id=page.locale_id)
    ).only("pk", "url_path", "translation_key", "locale_id", "depth", "path")
    nearest: dict[str, Page] = {}
    for translation in sorted(translations, key=lambda found: -found.depth):
        nearest.setdefault(language_of(translation.locale_id), translation)
    versions = []
    for code in content_languages():
        if code == language_of(page.locale_id):
            versions.append(LanguageVersion(code, request.path, True, code == current))
            continue
        found = nearest.get(code)
        if found is None:
            # No home in that language at all: its interface at the same URL is all there is.
            versions.append(LanguageVersion(code, translate_url("/", code), False, False))
            continue
        same = found.translation_key == page.translation_key
        path = found.get_url(request=request) or translate_url("/", code)
        versions.append(LanguageVersion(code, path + sub_route if same else path, same, False))
    return versions
