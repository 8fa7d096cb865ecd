"""Readership in the Wagtail admin: the «Readership» menu item and a «Readership» page button.

Shown to whoever holds `readership.view_readership` (the editors' and the
authors' groups); the page button only on pages whose numbers the user may
read (`reports.page_is_readable`: every page for an editor, an author's own),
decided from the user's cached rights, so a listing costs no query per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button

from vestnik.readership import admin_views
from vestnik.readership.reports import may_read_reports, page_is_readable


class _ReadershipMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_read_reports(request.user)


class ReadershipViewSet(ViewSet):
    name = admin_views.URL
    url_prefix = "readership"
    icon = "glasses"
    menu_label = _("Readership")
    menu_name = "readership"
    menu_order = 260
    add_to_admin_menu = True

    @property
    def menu_item_class(self) -> type[MenuItem]:
        return _ReadershipMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", admin_views.overview_view, name="index"),
            path("pages/<int:page_id>/", admin_views.page_view, name="page"),
        ]


@hooks.register("register_admin_viewset")
def register_readership_viewset() -> ReadershipViewSet:
    return ReadershipViewSet()


def _page_button(page: Any, user: Any, priority: int) -> Iterator[Button]:
    if page.pk is not None and page.depth > 1 and page_is_readable(user, page):
        yield Button(
            _("Readership"),
            reverse(f"{admin_views.URL}:page", args=[page.pk]),
            icon_name="glasses",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def page_listing_readership_button(
    page: Any, user: Any, next_url: str | None = None
) -> Iterator[Button]:
    yield from _page_button(page, user, priority=55)


@hooks.register("register_page_header_buttons")
def page_header_readership_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from _page_button(page, user, priority=67)
