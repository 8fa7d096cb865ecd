"""Site-wide reads: what an anonymous reader may see, and the main navigation."""

from __future__ import annotations

from wagtail.models import Page
from wagtail.query import PageQuerySet


def visible_to_public(pages: PageQuerySet) -> PageQuerySet:
    """The pages an anonymous reader may see: live and under no view restriction.

    The one rule every read path applies (listings, feeds, sitemap, search,
    entity pages): a page with a password or a login restriction, or below one
    (an article in a private blog), is left out. Wagtail's `public()` excludes
    the restricted page and all its descendants.
    """
    return pages.live().public()


def main_navigation_pages() -> list[Page]:
    """One query for the whole menu: the home page's children marked «show in menus»."""
    return list(visible_to_public(Page.objects.in_menu().filter(depth=3)).order_by("path"))
