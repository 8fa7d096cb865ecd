"""What a citation says about an article, gathered once for every style and format."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from vestnik.articles.citations.names import Person
from vestnik.core.site_identity import site_name
from vestnik.core.text import latin_slug

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage, BlogPage
    from vestnik.authors.models import Expert

# Words a citation key skips to reach the first word that says something.
_KEY_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "and",
        "to",
        "for",
        "o",
        "ob",
        "na",
        "v",
        "vo",
        "i",
        "s",
        "so",
        "k",
        "ko",
        "po",
        "ot",
        "iz",
        "za",
        "pro",
        "kak",
        "chto",
    ]
)


@dataclass(frozen=True)
class CitationRecord:
    key: str
    title: str
    authors: tuple[Person, ...]
    container_title: str  # the blog: «Блог Асана Жакупова»
    publisher: str  # the site: «Вестник»
    issued: datetime.date
    url: str
    language: str
    abstract: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    pdf_url: str = ""


def citation_key(authors: Sequence[Person], issued: datetime.date, title: str) -> str:
    """«zhakupov2025perekrestke»: first author, year, first meaningful title word."""
    family = latin_slug(authors[0].family, max_length=30).replace("-", "") if authors else ""
    words = [w for w in latin_slug(title, max_length=200).split("-") if w]
    word = next((w for w in words if w not in _KEY_STOPWORDS and not w.isdigit()), "")
    return re.sub(r"[^a-z0-9]", "", f"{family or 'vestnik'}{issued.year}{word}") or "vestnik"


def citation_record(
    article: ArticlePage,
    *,
    blog: BlogPage | None,
    authors: Iterable[Expert],
    keywords: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> CitationRecord:
    """A record from what the article page has already loaded (no queries of its own)."""
    people = tuple(Person.from_full_name(author.full_name) for author in authors)
    url = article.get_full_url(request) or ""
    return CitationRecord(
        key=citation_key(people, article.publication_date, article.title),
        title=article.title,
        authors=people,
        container_title=blog.title if blog is not None else "",
        publisher=site_name(request),
        issued=article.publication_date,
        url=url,
        language=article.language,
        abstract=article.lead,
        keywords=tuple(keywords),
        pdf_url=f"{url}pdf/" if url else "",
    )


def citation_record_for(article: ArticlePage, request: HttpRequest | None = None) -> CitationRecord:
    """A record for a download, loading the blog, the authors and the tags itself."""
    blog = article.blog
    authors: list[Any] = [blog.expert] if blog is not None else []
    authors.extend(article.co_authors.all())
    keywords = [
        term.name_ru
        for terms in (article.countries.all(), article.regions.all(), article.topics.all())
        for term in terms
    ]
    return citation_record(article, blog=blog, authors=authors, keywords=keywords, request=request)
