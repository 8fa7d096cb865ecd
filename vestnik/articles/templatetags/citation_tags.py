"""`{% article_citation %}`: «Как цитировать» and the download links of an article."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _

from vestnik.articles.citations.records import citation_record
from vestnik.articles.citations.references import note_text, reference_list
from vestnik.articles.citations.styles import apa_citation, gost_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def article_citation(
    context: template.Context,
    accessed: datetime.date | None = None,
    fixed: bool = False,
) -> dict[str, Any]:
    """The article's citations from what its page has already loaded.

    With `accessed` (the print view, never cached) the GOST reference carries
    that date of access; on the cached page it carries a placeholder the page
    script fills with the reader's today; `fixed` (the PDF, one file for every
    reader) leaves the access clause out.
    """
    # Unset template variables arrive as "".
    accessed = accessed or None
    fixed = bool(fixed)
    page = context["page"]
    request = context.get("request")
    terms = [
        term for name in ("countries", "regions", "topics") for term in context.get(name) or []
    ]
    record = citation_record(
        page,
        blog=context.get("blog"),
        authors=context.get("authors") or [],
        keywords=[term.name for term in terms],
        request=request,
    )
    index = context.get("footnote_index")
    has_references = index is not None and bool(
        reference_list(note_text(note.html) for note in index.notes)
    )
    base = page.get_url(request) or ""
    downloads = [
        {"label": "BibTeX", "href": f"{base}cite.bib", "type": "application/x-bibtex"},
        {"label": "RIS", "href": f"{base}cite.ris", "type": "application/x-research-info-systems"},
        {
            "label": "CSL-JSON",
            "href": f"{base}cite.json",
            "type": "application/vnd.citationstyles.csl+json",
        },
        {"label": "PDF", "href": f"{base}pdf/", "type": "application/pdf"},
    ]
    reference_downloads = (
        [
            {
                "label": _("References (BibTeX)"),
                "href": f"{base}references.bib",
                "type": "application/x-bibtex",
            },
            {
                "label": _("References (RIS)"),
                "href": f"{base}references.ris",
                "type": "application/x-research-info-systems",
            },
        ]
        if has_references
        else []
    )
    return {
        "record": record,
        "gost": gost_citation(
            record, accessed=accessed, access_placeholder=accessed is None and not fixed
        ),
        "apa": apa_citation(record),
        "downloads": downloads,
        "reference_downloads": reference_downloads,
    }
