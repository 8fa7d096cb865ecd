"""Site-wide reads: navigation, share links, section curation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.http import HttpRequest

from wagtail.models import Site

from vestnik.core import front_cache
from vestnik.core.models import SectionPage, ShareSettings
from vestnik.core.page_cache import remember

if TYPE_CHECKING:
    from wagtail.models import Page


def navigation_sections() -> list[SectionPage]:
    return list(SectionPage.objects.live().in_menu().order_by("path"))


def main_navigation_pages() -> list[Page]:
    """One query for the whole menu: the home page's children marked «show in menus»."""
    from wagtail.models import Page

    return list(Page.objects.live().in_menu().filter(depth=3).order_by("path"))


def share_links(page: Page, request: HttpRequest) -> list[dict[str, str]]:
    """Plain share links for a page: no scripts, no trackers, with their legal labels."""
    site = Site.find_for_request(request)
    if site is None:
        return []

    def networks() -> list[tuple[str, str, str]]:
        settings = ShareSettings.for_site(site)
        return [
            (network.name, network.url_template, network.legal_label)
            for network in settings.networks.filter(enabled=True).order_by("sort_order")
        ]

    front_cache.depends_on(front_cache.SHARE_LINKS)
    url = quote(page.get_full_url(request) or "", safe="")
    title = quote(page.title, safe="")
    return [
        {
            "name": name,
            "href": template.replace("{url}", url).replace("{title}", title),
            "legal_label": legal_label,
        }
        for name, template, legal_label in remember(f"share-networks:{site.pk}", networks)
    ]


def section_featured(section: SectionPage) -> dict[str, Any]:
    from vestnik.articles.selectors import with_bylines

    featured = section.featured_articles.select_related("article").order_by("sort_order")
    articles = with_bylines(item.article for item in featured if item.article.live)
    experts = [
        item.expert
        for item in section.featured_experts.select_related("expert", "expert__photo").order_by(
            "sort_order"
        )
    ]
    front_cache.depends_on(*(front_cache.expert_key(expert.pk) for expert in experts))
    return {"featured_articles": articles, "featured_experts": experts}
