"""The publication's own URLs outside Wagtail's tree: the counted PDF download, citation files.

Only a live publication under no view restriction is served; a draft, a
private page or a page without a file is a 404, the same as a page that does
not exist. The responses are never cached: not by the page cache (they are
not pages), not by nginx or a browser (`never_cache`), so every download
reaches `download_count_increment` however the publication's page was served.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vestnik.articles.citations import formats
from vestnik.articles.citations.views import CONTENT_TYPES
from vestnik.core.selectors import visible_to_public
from vestnik.publications.citations import publication_record_for
from vestnik.publications.models import PublicationPage
from vestnik.publications.services import download_count_increment


def _public_publication(publication_id: int) -> PublicationPage:
    page = visible_to_public(PublicationPage.objects.filter(pk=publication_id)).first()
    if page is None:
        raise Http404
    return page


def _file_name(page: PublicationPage) -> str:
    return f"{page.slug}.pdf"


def x_accel_prefix() -> str:
    """Where nginx serves media internally (`deploy/nginx/vestnik-media.conf`); "" serves here."""
    return str(getattr(settings, "VESTNIK_PUBLICATIONS_X_ACCEL_PREFIX", ""))


@never_cache
@require_safe
def download(request: HttpRequest, publication_id: int) -> HttpResponseBase:
    page = _public_publication(publication_id)
    document = page.pdf
    if document is None or document.collection.get_view_restrictions().exists():
        raise Http404
    disposition = content_disposition_header(True, _file_name(page))
    prefix = x_accel_prefix()
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type="application/pdf")
        # nginx sends the file from an `internal` location; Django never reads it.
        # Percent-encoded: a header is ASCII, an uploaded file's name may be Cyrillic.
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(document.file.name)}"
    else:
        try:
            handle = document.file.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type="application/pdf")
    if disposition:
        response["Content-Disposition"] = disposition
    if request.method == "GET":
        download_count_increment(page)
    return response


@never_cache
@require_safe
def citation_file(request: HttpRequest, publication_id: int, extension: str) -> HttpResponse:
    writers = {
        "bib": formats.report_bibtex,
        "ris": formats.report_ris,
        "json": formats.article_csl_json,
    }
    if extension not in writers:
        raise Http404
    page = _public_publication(publication_id)
    record = publication_record_for(page, request)
    response = HttpResponse(writers[extension](record), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{record.key}.{extension}"'
    return response
