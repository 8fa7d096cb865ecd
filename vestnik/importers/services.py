"""Import writes: a saved page's file → an article (and its poll), all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from vestnik.articles.models import ArticlePage
from vestnik.articles.services import ArticleImportResult, article_create_from_draft
from vestnik.importers.decoding import text_decode, text_file_read
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.page_text import parse_page_text
from vestnik.polls.services import poll_create_from_draft

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def import_page_file(
    *, path: Path | str, publish: bool = False, user: AbstractBaseUser | None = None
) -> ArticleImportResult:
    """Import one saved page's text file; `ImportFailed` before anything is written."""
    return import_page_text(text=text_file_read(Path(path)), publish=publish, user=user)


def import_page_bytes(
    *, data: bytes, publish: bool = False, user: AbstractBaseUser | None = None
) -> ArticleImportResult:
    """The same for an upload held in memory (the admin's import form)."""
    return import_page_text(text=text_decode(data), publish=publish, user=user)


def import_page_text(
    *, text: str, publish: bool = False, user: AbstractBaseUser | None = None
) -> ArticleImportResult:
    draft = parse_page_text(text)
    try:
        with transaction.atomic():
            result = article_create_from_draft(draft=draft, publish=publish, user=user)
            # An unchanged page keeps the poll it already has.
            if draft.poll is not None and (result.created or result.changed):
                poll = poll_create_from_draft(draft=draft.poll, article=result.article)
                result.warnings.extend(poll.warnings)
    except ValidationError as exc:
        raise ImportFailed(f"The article does not validate: {'; '.join(exc.messages)}") from exc
    return result


def article_url_path(article: ArticlePage) -> str:
    """The path the article is (or, once published, will be) served at, e.g. /blogs/<blog>/<slug>/.

    Computed in the site's default language, so it does not depend on whichever
    language happens to be active (the command runs outside any request).
    """
    with translation.override(settings.LANGUAGE_CODE):
        parts = article.get_url_parts()
    if parts is not None and parts[2] is not None:
        return str(parts[2])
    # No site serves this part of the tree: fall back to the path below the home page.
    return "/" + article.url_path.strip("/").partition("/")[2] + "/"
