"""Uploaded media served by the embedded install (VESTNIK_CORE_SERVE_MEDIA), not documents.

Documents leave only through Wagtail's document view, which checks the
privacy of their collection (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`). The
path is normalised the way `django.views.static.serve` will read it, so
`images/../documents/…` is refused as well.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

# Article PDFs (`articles.pdf`) are served by the article's own route, which
# Wagtail guards like the page; the stored file may belong to a private article.
PRIVATE_DIRECTORIES = ("documents", "article-pdfs")


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.split("/", 1)[0] in PRIVATE_DIRECTORIES:
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
