"""An article as search sees it: its plain text in reading order, and its terms.

The text is `articles.text.article_text` with the footnotes added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vestnik.articles.text import article_text
from vestnik.discovery.search.lemmas import Term, TermCache, text_terms

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage

# Articles longer than this are indexed and snippeted by their beginning only:
# about 30,000 words, far beyond any analysis piece, and a bound on one row.
MAX_TEXT_LENGTH = 200_000


@dataclass(frozen=True)
class ArticleDocument:
    text: str
    title_terms: list[Term]
    body_terms: list[Term]


def article_document(
    page: ArticlePage, *, footnotes: Iterable[str] | None = None, cache: TermCache | None = None
) -> ArticleDocument:
    """The document of `page`; pass `footnotes` when they were fetched in bulk, and a
    bulk job's `cache` of terms."""
    if footnotes is None:
        footnotes = [note.text for note in page.footnotes.all()]
    # Footnotes count for search: a reader looking for a cited source finds the article.
    text = article_text(page, footnotes=footnotes)[:MAX_TEXT_LENGTH]
    return ArticleDocument(
        text=text,
        title_terms=text_terms(page.title, cache=cache),
        body_terms=text_terms(text, cache=cache),
    )
