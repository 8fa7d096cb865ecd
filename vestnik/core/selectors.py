"""Site-wide reads: what an anonymous reader may see, and the main navigation."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.db.models.functions import Left, Length

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

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

    def read() -> list[Page]:
        return list(visible_to_public(Page.objects.in_menu().filter(depth=3)).order_by("path"))

    return remember("main-navigation", read)
