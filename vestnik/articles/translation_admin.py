"""Translations in the admin: who may start them, and how far behind each one is.

wagtail-localize lets anyone holding its global «submit translation» right
translate or sync any page; here that right also needs the right to edit the
page, so an author translates their own articles and nobody else's
(docs/translations.md, "Translating in the admin").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import TranslationState, article_translations, translation_status

STATE_LABELS = {
    TranslationState.UP_TO_DATE: _("Up to date"),
    TranslationState.SOURCE_CHANGED: _("Source changed since"),
    TranslationState.SEGMENTS_WAITING: _("Segments waiting"),
}


def _user_may_edit(user: Any, instance: Any) -> bool:
    permissions_for_user = getattr(instance, "permissions_for_user", None)
    if permissions_for_user is None:
        # A snippet: wagtail-localize's own checks (its model permissions) stand.
        return True
    return bool(permissions_for_user(user).can_edit())


class PageTranslationSubmitView(SubmitPageTranslationView):
    def get_object(self) -> Any:
        page = super().get_object()
        if not _user_may_edit(self.request.user, page):
            raise PermissionDenied
        return page


class TranslationsUpdateView(UpdateTranslationsView):
    def get_object(self) -> Any:
        source = super().get_object()
        try:
            instance = source.get_source_instance()
        except source.specific_content_type.model_class().DoesNotExist as exc:
            raise PermissionDenied from exc
        if not _user_may_edit(self.request.user, instance):
            raise PermissionDenied
        return source


# Registered before wagtail-localize's own patterns (`wagtail_hooks`), so these
# paths, which its buttons link to, reach the guarded views.
localize_urlpatterns = [
    path(
        "localize/submit/page/<int:page_id>/",
        PageTranslationSubmitView.as_view(),
        name="vestnik_submit_page_translation",
    ),
    path(
        "localize/update/<int:translation_source_id>/",
        TranslationsUpdateView.as_view(),
        name="vestnik_update_translations",
    ),
]


def _status_label(page: ArticlePage) -> str:
    return str(STATE_LABELS[page.translation.state])  # type: ignore[attr-defined]


def _kind_label(page: ArticlePage) -> str:
    managed = page.translation.managed  # type: ignore[attr-defined]
    return str(_("wagtail-localize") if managed else _("Imported or edited by hand"))


def _live_label(page: ArticlePage) -> str:
    return str(_("Published") if page.live else _("Draft"))


class ArticleTranslationsReportView(ReportView):
    """Every translated article the user may edit, with how far behind its source it is."""

    page_title = _("Article translations")
    header_icon = "site"
    index_url_name = "vestnik_article_translations:index"
    index_results_url_name = "vestnik_article_translations:index_results"
    verbose_name_plural = _("translations")
    columns = [
        TitleColumn(
            "title",
            label=_("Translation"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("language", label=_("Language"), accessor=lambda page: page.language),
        TitleColumn(
            "source",
            label=_("Source"),
            accessor=lambda page: page.translation.source.title,
            get_url=lambda page: reverse(
                "wagtailadmin_pages:edit", args=[page.translation.source.pk]
            ),
        ),
        Column("kind", label=_("Made with"), accessor=_kind_label),
        Column("live", label=_("State"), accessor=_live_label),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor=_status_label,
            primary=lambda page: page.translation.out_of_date,
        ),
    ]

    def get_base_queryset(self) -> Any:
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(
            self.request.user, ["change", "publish"]
        )
        return (
            article_translations()
            .filter(pk__in=editable.values("pk"))
            .select_related("locale")
            .order_by("-latest_revision_created_at")
        )

    def get_table(self, object_list: Any) -> Any:
        rows = []
        for page in object_list:
            status = next((s for s in translation_status(page) if s.page.pk == page.pk), None)
            if status is not None:
                page.translation = status
                rows.append(page)
        return super().get_table(rows)


report_urlpatterns = [
    path("", ArticleTranslationsReportView.as_view(), name="index"),
    path(
        "results/", ArticleTranslationsReportView.as_view(results_only=True), name="index_results"
    ),
]
