"""`{% article_citation %}`: «How to cite» and the download links of an article.

The styles follow the language of the version on the page (`styles.STYLES`):
GOST and APA for a Russian article, APA and Chicago for an English translation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vestnik.articles.citations.records import CitationRecord, citation_record
from vestnik.articles.citations.references import note_text, reference_list
from vestnik.articles.citations.styles import (
    apa_citation,
    chicago_citation,
    gost_citation,
    styles_for,
)

register = template.Library()

STYLE_LABELS = {
    "gost": gettext_lazy("GOST R 7.0.100-2018"),
    "apa": gettext_lazy("APA 7th edition"),
    "chicago": gettext_lazy("Chicago 18th edition (bibliography)"),
}


def _style_html(
    style: str, record: CitationRecord, *, accessed: datetime.date | None, fixed: bool
) -> SafeString:
    if style == "gost":
        return gost_citation(
            record, accessed=accessed, access_placeholder=accessed is None and not fixed
        )
    if style == "chicago":
        return chicago_citation(record)
    return apa_citation(record)


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
    styles = [
        {
            "id": style,
            "label": STYLE_LABELS[style],
            "html": _style_html(style, record, accessed=accessed, fixed=fixed),
            # GOST is written in Russian whatever the page; the others follow the page.
            "lang": "ru" if style == "gost" else "",
        }
        for style in styles_for(record.language)
    ]
    return {
        "record": record,
        "styles": styles,
        "downloads": downloads,
        "reference_downloads": reference_downloads,
    }
