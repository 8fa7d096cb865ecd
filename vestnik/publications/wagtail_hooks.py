"""The publications app in the Wagtail admin: series, PDF warnings, the downloads report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from vestnik.publications.models import PublicationPage, PublicationSeries


class PublicationSeriesViewSet(SnippetViewSet):
    model = PublicationSeries
    icon = "doc-full"
    menu_label = _("Publication series")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "item_name", "slug"]


register_snippet(PublicationSeriesViewSet)


def _pdf_warning(request: HttpRequest, page: Any) -> None:
    # The form accepted an encrypted or damaged PDF; say so where the editor looks.
    if isinstance(page, PublicationPage) and page.pdf_problem_message:
        messages.warning(request, page.pdf_problem_message)


@hooks.register("after_create_page")
def warn_about_pdf_after_create(request: HttpRequest, page: Any) -> None:
    _pdf_warning(request, page)


@hooks.register("after_edit_page")
def warn_about_pdf_after_edit(request: HttpRequest, page: Any) -> None:
    _pdf_warning(request, page)


# Editors run the library (they manage its series); an author sees no other
# expert's numbers until readership reports say what is whose.
REPORT_PERMISSION = "publications.change_publicationseries"


class _DownloadsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(REPORT_PERMISSION))


@permission_required(REPORT_PERMISSION, raise_exception=True)
def downloads_report(request: HttpRequest) -> HttpResponse:
    """Every publication with its downloads, most downloaded first."""
    rows = (
        PublicationPage.objects.live()
        .annotate(downloads=Sum("download_counts__count"), last=Max("download_counts__date"))
        .select_related("series", "locale")
        .order_by("-downloads", "-publication_date")
    )
    return TemplateResponse(
        request,
        "wagtailadmin/publications/downloads_report.html",
        {"rows": rows, "header_title": _("Publication downloads")},
    )


@hooks.register("register_admin_urls")
def register_downloads_report_url() -> list[URLPattern]:
    return [path("reports/publication-downloads/", downloads_report, name="publication_downloads")]


@hooks.register("register_reports_menu_item")
def register_downloads_report_menu_item() -> Any:
    return _DownloadsMenuItem(
        _("Publication downloads"),
        reverse("publication_downloads"),
        name="publication-downloads",
        icon_name="download",
        order=1300,
    )
