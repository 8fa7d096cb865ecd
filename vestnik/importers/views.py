"""The admin's import screen: upload a file, get a draft article and the import's warnings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.permission_policies.pages import PagePermissionPolicy

from vestnik.articles.services import ArticleImportResult
from vestnik.core.review import review_required
from vestnik.importers.errors import ImportFailed
from vestnik.importers.forms import ImportForm
from vestnik.importers.services import article_url_path, import_upload


def user_can_import(user: Any) -> bool:
    """Editors and authors: admin access and the right to add pages somewhere."""
    return bool(
        user.is_active
        and user.has_perm("wagtailadmin.access_admin")
        and PagePermissionPolicy().user_has_permission(user, "add")
    )


def import_view(request: HttpRequest) -> TemplateResponse:
    if not user_can_import(request.user):
        raise PermissionDenied
    # The importer becomes the new text's last editor, so under review
    # (core.review) another editor publishes it, never the import itself.
    can_publish = not review_required() and PagePermissionPolicy().user_has_permission(
        request.user, "publish"
    )
    result: ArticleImportResult | None = None
    error = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, can_publish=can_publish)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_upload(
                    data=upload.read(),
                    filename=upload.name,
                    publish=bool(form.cleaned_data.get("publish")),
                    user=request.user,  # type: ignore[arg-type]
                    author=form.cleaned_data["author"] or None,
                )
            except ImportFailed as exc:
                error = exc.message
            else:
                form = ImportForm(can_publish=can_publish)
    else:
        form = ImportForm(can_publish=can_publish)
    return TemplateResponse(
        request,
        "wagtailadmin/importers/import.html",
        {"form": form, "error": error, "result": result and _result_context(result)},
    )


def _result_context(result: ArticleImportResult) -> dict[str, Any]:
    article = result.article
    if result.created:
        outcome = _("Created «%(title)s»") % {"title": article.draft_title}
    elif result.changed:
        outcome = _("Updated «%(title)s»") % {"title": article.draft_title}
    else:
        outcome = _("«%(title)s» is unchanged") % {"title": article.draft_title}
    if not article.live:
        state = _("Draft: not published yet.")
    elif article.has_unpublished_changes:
        state = _("Published, with a newer draft.")
    else:
        state = _("Published.")
    return {
        "outcome": outcome,
        "state": state,
        "live": article.live,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[article.pk]),
        "view_url": article_url_path(article)
        if article.live
        else reverse("wagtailadmin_pages:view_draft", args=[article.pk]),
        "warnings": result.warnings,
    }
