"""The admin's import screen: upload a file, get a draft article and the import's warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.permission_policies.pages import PagePermissionPolicy

from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.articles.services import (
    AUTHORS_GROUP,
    ArticleImportResult,
    SiteNotSetUp,
    blogs_index_page,
)
from vestnik.authors.models import Expert
from vestnik.core.review import review_required
from vestnik.importers.errors import ImportFailed
from vestnik.importers.forms import ImportForm
from vestnik.importers.services import article_url_path, import_upload, translation_source

TEMPLATE = "wagtailadmin/importers/import.html"


@dataclass(frozen=True)
class ImportScope:
    """Where a user's imports may go: any blog (an editor) or one expert's (an author)."""

    any_blog: bool
    expert: Expert | None = None


def import_scope(user: Any) -> ImportScope | None:
    """Any blog for those who may add blogs; their own for an author; None for nobody else.

    An import may create a blog and its expert, so choosing the blog takes the
    right to add pages under the blogs index (editors). An author's imports go
    to the blog of the expert their account is linked to, whatever the file says.
    """
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return None
    try:
        may_add_blogs = blogs_index_page().permissions_for_user(user).can_add_subpage()
    except SiteNotSetUp:
        # No blogs yet, so no authors: those who may add pages are told why on import.
        may_add_blogs = PagePermissionPolicy().user_has_permission(user, "add")
    if may_add_blogs:
        return ImportScope(any_blog=True)
    expert = Expert.objects.filter(user_id=user.pk).first()
    if expert is None:
        return None
    blog = BlogPage.objects.filter(expert=expert).first()
    if blog is None or not blog.permissions_for_user(user).can_add_subpage():
        return None
    return ImportScope(any_blog=False, expert=expert)


def user_is_author(user: Any) -> bool:
    return bool(user.is_active and user.groups.filter(name=AUTHORS_GROUP).exists())


def user_can_import(user: Any) -> bool:
    """Editors, and authors (an author without an expert profile is told why they cannot)."""
    return import_scope(user) is not None or (
        user.has_perm("wagtailadmin.access_admin") and user_is_author(user)
    )


def import_view(request: HttpRequest) -> TemplateResponse:
    scope = import_scope(request.user)
    if scope is None:
        if not user_can_import(request.user):
            raise PermissionDenied
        return TemplateResponse(request, TEMPLATE, {"no_expert": True})
    # The importer becomes the new text's last editor, so under review
    # (core.review) another editor publishes it, never the import itself.
    can_publish = not review_required() and PagePermissionPolicy().user_has_permission(
        request.user, "publish"
    )
    options = {"can_publish": can_publish, "can_choose_author": scope.any_blog}
    result: ArticleImportResult | None = None
    error = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, **options)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            language = form.cleaned_data["language"] or settings.LANGUAGE_CODE
            try:
                source = _translation_source(
                    request.user, form.cleaned_data["translation_of"], language
                )
                result = import_upload(
                    data=upload.read(),
                    filename=upload.name,
                    publish=bool(form.cleaned_data.get("publish")),
                    user=request.user,  # type: ignore[arg-type]
                    author=form.cleaned_data.get("author") or None,
                    expert=scope.expert,
                    language=language,
                    translation_of=source,
                )
            except ImportFailed as exc:
                error = exc.message
            else:
                form = ImportForm(**options)
    else:
        form = ImportForm(**options)
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "form": form,
            "error": error,
            "result": result and _result_context(result),
            "expert": scope.expert,
        },
    )


def _translation_source(user: Any, reference: str, language: str) -> ArticlePage | None:
    """The article the upload translates; only one the user may edit takes a translation."""
    if not reference.strip():
        return None
    source = translation_source(reference=reference, language=language)
    if not source.permissions_for_user(user).can_edit():
        raise ImportFailed(
            _("You may not edit «%(title)s», so you cannot add a translation to it.")
            % {"title": source.title}
        )
    return source


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
