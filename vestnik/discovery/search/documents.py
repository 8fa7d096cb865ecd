"""A page as search sees it: its describer's plain text (`core.indexing`), and its terms."""

from __future__ import annotations

from dataclasses import dataclass

from vestnik.core.indexing import IndexedText
from vestnik.discovery.search.lemmas import Term, TermCache, text_terms

# Texts longer than this are indexed and snippeted by their beginning only:
# about 30,000 words, far beyond any analysis piece, and a bound on one row
# (a long report's PDF is searched by its first hundred pages or so).
MAX_TEXT_LENGTH = 200_000


@dataclass(frozen=True)
class PageDocument:
    text: str
    title_terms: list[Term]
    body_terms: list[Term]


def page_document(described: IndexedText, *, cache: TermCache | None = None) -> PageDocument:
    """The document of a described page; pass a bulk job's `cache` of terms."""
    text = described.text[:MAX_TEXT_LENGTH]
    return PageDocument(
        text=text,
        title_terms=text_terms(described.title, cache=cache),
        body_terms=text_terms(text, cache=cache),
    )
