"""Downloads an article offers at its own URL: cite.bib, cite.ris, cite.json,
references.bib, references.ris.

The routes themselves are `ArticlePage` subpage routes; these functions build
the responses. Wagtail serves only paths made of slash-ended slugs, so
`serve_page_file` (in the discovery URLconf, before Wagtail's) hands
«<page path>/cite.bib» to the page's router as if it were «cite.bib/».
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse

from wagtail.views import serve

from vestnik.articles.citations import formats
from vestnik.articles.citations.records import citation_record_for
from vestnik.articles.citations.references import note_text, reference_list

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

PAGE_FILES = ("cite.bib", "cite.ris", "cite.json", "references.bib", "references.ris")
PAGE_FILE_PATTERN = (
    r"^(?P<page_path>(?:[\w\-]+/)+)(?P<filename>"
    + "|".join(name.replace(".", r"\.") for name in PAGE_FILES)
    + r")$"
)
CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


def serve_page_file(request: HttpRequest, page_path: str, filename: str) -> HttpResponse:
    response: HttpResponse = serve(request, f"{page_path}{filename}/")
    return response


def _download(content: str, *, filename: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    # The page cache keeps only the body and content type, not the file name.
    response.vestnik_page_cache = False  # type: ignore[attr-defined]
    return response


def citation_download(article: ArticlePage, request: HttpRequest, extension: str) -> HttpResponse:
    record = citation_record_for(article, request)
    writers = {
        "bib": formats.article_bibtex,
        "ris": formats.article_ris,
        "json": formats.article_csl_json,
    }
    return _download(writers[extension](record), filename=record.key, extension=extension)


def references_download(article: ArticlePage, request: HttpRequest, extension: str) -> HttpResponse:
    # In the order of the notes' numbers, which is the order readers meet them.
    references = reference_list(note_text(note.html) for note in article.footnote_index().notes)
    if not references:
        raise Http404
    writers = {"bib": formats.references_bibtex, "ris": formats.references_ris}
    record_key = citation_record_for(article, request).key
    return _download(
        writers[extension](references), filename=f"{record_key}-references", extension=extension
    )
