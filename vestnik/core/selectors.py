"""Site-wide reads every page's chrome needs: the main navigation."""

from __future__ import annotations

from wagtail.models import Page


def main_navigation_pages() -> list[Page]:
    """One query for the whole menu: the home page's children marked «show in menus»."""
    return list(Page.objects.live().in_menu().filter(depth=3).order_by("path"))
