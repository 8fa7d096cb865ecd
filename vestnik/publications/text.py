"""A publication as plain text, for search and insights: the one rule for its words.

Title, abstract, the web version's body (read as `articles.text` reads an
article's) and the text extracted from its PDF, in that order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vestnik.articles.text import TextPart, parts_text, stream_parts

if TYPE_CHECKING:
    from vestnik.publications.models import PublicationPage


def publication_parts(page: PublicationPage) -> list[TextPart]:
    """The abstract (as a lead), the web version's blocks, then the PDF's text as one paragraph."""
    parts = list(stream_parts(lead=page.abstract, body=page.body.raw_data))
    if pdf_text := page.pdf_text.strip():
        parts.append(TextPart("paragraph", pdf_text))
    return parts


def publication_text(page: PublicationPage) -> str:
    parts = [page.title.strip(), parts_text(publication_parts(page))]
    return "\n".join(part for part in parts if part)
