"""The article as a working paper in PDF, rendered with WeasyPrint.

WeasyPrint is imported only here. The PDF is built on first request from
`pages/articles/article_pdf.html` and `static/css/pdf.css` (CSS paged media:
running header, page numbers, endnotes) and kept in the media storage under
the page's live revision and its language, so a publish makes the
next request render afresh and nothing else does. Older files of the same
article are removed when a new one is stored.

Rendering fetches nothing from the network: `LocalFetcher` serves the site's
own static and media files and refuses every other URL (WeasyPrint then
renders without that resource and logs a warning).
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from vestnik.articles.citations.records import citation_record_for
from vestnik.core.site_identity import site_name, site_root_url

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

logger = logging.getLogger(__name__)

STORAGE_DIR = "article-pdfs"


class LocalFetcher(URLFetcher):
    """Serve WeasyPrint the site's static and media files, and nothing else."""

    def __init__(self, root_url: str) -> None:
        super().__init__(allowed_protocols={"http", "https"})
        self.origin = urlsplit(root_url)._replace(path="", query="", fragment="").geturl()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            raise ValueError(f"the PDF loads only the site's own files, not {url}")
        path = posixpath.normpath(unquote(parts.path))
        if ".." in path.split("/"):
            raise ValueError(f"refusing a path outside static and media: {url}")
        data = self._static(path) if path.startswith(settings.STATIC_URL) else None
        if data is None and path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL) :]
            with default_storage.open(name, "rb") as file:
                data = file.read()
        if data is None:
            raise ValueError(f"not a static or media file: {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type})

    @staticmethod
    def _static(path: str) -> bytes | None:
        name = path[len(settings.STATIC_URL) :]
        # Collected (and hashed) files in production; the source tree in development.
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name, "rb") as file:
                return bytes(file.read())
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as file:
                return file.read()
        return None


def pdf_name(article: ArticlePage, language: str) -> str:
    """«article-pdfs/<page>/<revision>-<published>-<language>.pdf».

    The publication time rides along with the revision id so that a database
    rebuilt from scratch (ids start again) never meets an old file.
    """
    revision = article.live_revision_id or article.latest_revision_id or 0
    published = article.last_published_at
    stamp = int(published.timestamp()) if published is not None else 0
    return f"{STORAGE_DIR}/{article.pk}/{revision}-{stamp}-{language}.pdf"


def render_article_pdf(article: ArticlePage, request: HttpRequest) -> bytes:
    context = article.get_context(request)
    context["site_name"] = site_name(request)
    html = render_to_string("pages/articles/article_pdf.html", context, request=request)
    root_url = site_root_url(request)
    document = HTML(string=html, base_url=f"{root_url}/", url_fetcher=LocalFetcher(root_url))
    pdf: bytes = document.write_pdf()
    return pdf


def _forget_older(name: str) -> None:
    """Remove the article's PDFs of earlier revisions in the same language."""
    directory, filename = posixpath.split(name)
    language_suffix = filename.rsplit("-", 1)[1]
    try:
        _directories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for stale in files:
        if stale.endswith(f"-{language_suffix}"):
            default_storage.delete(f"{directory}/{stale}")


def article_pdf(article: ArticlePage, request: HttpRequest) -> bytes:
    """The article's PDF for its live revision, rendered once and then read from storage."""
    # The version's own language: an English translation is its own page under /en/.
    name = pdf_name(article, article.language)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as file:
            return bytes(file.read())
    pdf = render_article_pdf(article, request)
    _forget_older(name)
    default_storage.save(name, ContentFile(pdf))
    return pdf


def article_pdf_response(article: ArticlePage, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(article_pdf(article, request), content_type="application/pdf")
    filename = citation_record_for(article, request).key
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    # Stored already; the page cache would keep neither the file name nor bytes well.
    response.vestnik_page_cache = False  # type: ignore[attr-defined]
    return response
