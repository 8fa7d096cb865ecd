"""What a citation says about an article, gathered once for every style and format."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest

from vestnik.articles.bylines import authors_in_order
from vestnik.articles.citations.names import Person
from vestnik.core.site_identity import english_site_name, site_name
from vestnik.core.text import latin_slug

if TYPE_CHECKING:
    from vestnik.articles.models import ArticlePage, BlogPage
    from vestnik.authors.models import Expert

# Words a citation key skips to reach the first word that says something,
# English (translations' titles) and transliterated Russian.
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
        "at",
        "by",
        "as",
        "is",
        "from",
        "with",
        "into",
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
    # The blog: «Блог Асана Жакупова», «Asan Zhakupov's Blog»; "" for an analysis piece.
    container_title: str
    publisher: str  # the site: «Вестник», «Vestnik»
    issued: datetime.date
    url: str
    language: str  # of the version cited: "ru" or "en"
    abstract: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)
    pdf_url: str = ""
    # What a report (a numbered issue of a series: `publications`) adds; a blog
    # post leaves them empty. `kind` picks the entry type of every style and format.
    kind: str = "post"  # "post" or "report"
    number: str = ""  # «91/2025»
    genre: str = ""  # the series' name for one issue: «Рабочая тетрадь», "Working Paper"
    series: str = ""  # «Рабочие тетради»
    place: str = ""  # «Москва»
    page_count: int | None = None
    isbn: str = ""
    doi: str = ""

    @property
    def is_report(self) -> bool:
        return self.kind == "report"


def citation_key(authors: Sequence[Person], issued: datetime.date, title: str) -> str:
    """«zhakupov2025perekrestke»: first author, year, first meaningful title word."""
    family = latin_slug(authors[0].family, max_length=30).replace("-", "") if authors else ""
    words = [w for w in latin_slug(title, max_length=200).split("-") if w]
    word = next((w for w in words if w not in _KEY_STOPWORDS and not w.isdigit()), "")
    return re.sub(r"[^a-z0-9]", "", f"{family or 'vestnik'}{issued.year}{word}") or "vestnik"


def citation_publisher(language: str, request: HttpRequest | None = None) -> str:
    """The site's name as the cited version's language writes it."""
    return english_site_name() if language == "en" else site_name(request)


def citation_record(
    article: ArticlePage,
    *,
    blog: BlogPage | None,
    authors: Iterable[Expert],
    keywords: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> CitationRecord:
    """A record of the version cited, from what its page has already loaded (no queries).

    Everything follows the article's own language, not the interface's: an
    English translation names its Russian authors in their English form
    («Asan Zhakupov», editable, else transliterated), sits in the English blog
    and site, and has its own URL under /en/.
    """
    language = article.language
    people = tuple(Person.from_full_name(author.name_in(language)) for author in authors)
    url = article.get_full_url(request) or ""
    return CitationRecord(
        key=citation_key(people, article.publication_date, article.title),
        title=article.title,
        authors=people,
        # An analysis piece is the institution's own: the site is its source, as publisher.
        # (`blog` may be a lazy object wrapping None, hence truthiness.)
        container_title=blog.title if blog else "",
        publisher=citation_publisher(language, request),
        issued=article.publication_date,
        url=url,
        language=language,
        abstract=article.lead,
        keywords=tuple(keywords),
        pdf_url=f"{url}pdf/" if url else "",
    )


def citation_record_for(article: ArticlePage, request: HttpRequest | None = None) -> CitationRecord:
    """A record for a download, loading the blog, the authors and the tags itself."""
    blog = article.blog
    authors = authors_in_order(blog.expert if blog is not None else None, article.co_authors.all())
    english = article.language == "en"
    keywords = [
        (term.name_en or term.name_ru) if english else term.name_ru
        for terms in (article.countries.all(), article.regions.all(), article.topics.all())
        for term in terms
    ]
    return citation_record(article, blog=blog, authors=authors, keywords=keywords, request=request)
