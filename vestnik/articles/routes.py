"""The article's own sub-pages: print view, citation files, PDF.

A `RoutablePageMixin` that lives with the views: `ArticlePage` inherits the
routes, and each route hands the page to a view function. «cite.bib» and the
like reach here through the discovery URLconf, as Wagtail's own patterns take
no dots (see `citations.views.serve_page_file`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from vestnik.articles.citations.views import citation_download, references_download
from vestnik.core.site_identity import site_name

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage


class ArticleRoutes(RoutablePageMixin):
    @path("")
    def article(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)  # type: ignore[no-any-return]

    @path("print/")
    def print_version(self, request: HttpRequest) -> TemplateResponse:
        response: TemplateResponse = self.render(
            request,
            template="pages/articles/article_print.html",
            context_overrides={
                "accessed_on": timezone.localdate(),
                "site_name": site_name(request),
            },
        )
        # The print view carries today's date of access, so it is never cached.
        response.vestnik_page_cache = False  # type: ignore[attr-defined]
        return response

    @path("cite.bib/")
    def cite_bibtex(self, request: HttpRequest) -> HttpResponse:
        return citation_download(self._article(), request, "bib")

    @path("cite.ris/")
    def cite_ris(self, request: HttpRequest) -> HttpResponse:
        return citation_download(self._article(), request, "ris")

    @path("cite.json/")
    def cite_csl_json(self, request: HttpRequest) -> HttpResponse:
        return citation_download(self._article(), request, "json")

    @path("references.bib/")
    def references_bibtex(self, request: HttpRequest) -> HttpResponse:
        return references_download(self._article(), request, "bib")

    @path("references.ris/")
    def references_ris(self, request: HttpRequest) -> HttpResponse:
        return references_download(self._article(), request, "ris")

    @path("pdf/")
    def pdf(self, request: HttpRequest) -> HttpResponse:
        # Deferred: WeasyPrint takes a second to import and only this route needs it.
        from vestnik.articles.pdf import article_pdf_response

        return article_pdf_response(self._article(), request)

    def _article(self) -> ArticlePage:
        return self  # type: ignore[return-value]
