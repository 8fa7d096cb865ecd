"""The importers in the Wagtail admin: the «Import» screen and its menu item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from vestnik.importers import urls
from vestnik.importers.views import user_can_import


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_import(request.user)


@hooks.register("register_admin_urls")
def register_import_urls() -> list[URLPattern | URLResolver]:
    # Admin URLs are wrapped in Wagtail's admin-access check; the view checks page rights.
    return [path("import/", include(urls, namespace="vestnik_importers"))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> Any:
    return ImportMenuItem(
        _("Import"),
        reverse("vestnik_importers:import"),
        name="import",
        icon_name="upload",
        order=260,
    )
