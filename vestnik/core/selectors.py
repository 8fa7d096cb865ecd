"""Site-wide reads: navigation, share links, section curation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.http import HttpRequest

from vestnik.core.models import SectionPage, ShareSettings

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
    settings = ShareSettings.for_request(request)
    url = page.get_full_url(request) or ""
    links = []
    for network in settings.networks.filter(enabled=True).order_by("sort_order"):
        href = network.url_template.replace("{url}", quote(url, safe="")).replace(
            "{title}", quote(page.title, safe="")
        )
        links.append({"name": network.name, "href": href, "legal_label": network.legal_label})
    return links


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
    return {"featured_articles": articles, "featured_experts": experts}
