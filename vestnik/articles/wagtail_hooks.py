"""The articles app in the Wagtail admin: translations (`translation_admin`)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from vestnik.articles import translation_admin


@hooks.register("register_admin_urls", order=-1)
def register_guarded_localize_urls() -> list[URLPattern | URLResolver]:
    # order=-1: ahead of wagtail-localize's own patterns for the same paths.
    return list(translation_admin.localize_urlpatterns)


@hooks.register("register_admin_urls")
def register_article_translations_urls() -> list[URLPattern | URLResolver]:
    return [
        path(
            "article-translations/",
            include(
                (translation_admin.report_urlpatterns, "vestnik_article_translations"),
                namespace="vestnik_article_translations",
            ),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_article_translations_menu_item() -> Any:
    return MenuItem(
        _("Article translations"),
        reverse("vestnik_article_translations:index"),
        name="article-translations",
        icon_name="site",
        order=1290,
    )
