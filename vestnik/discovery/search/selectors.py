"""Searching every registered page type: matches, facets, one page of results with snippets.

A query is cut to `MAX_QUERY_LENGTH` characters and `MAX_QUERY_TERMS` distinct
words before anything else happens, so no query costs more than that. Every
word must match (through any of its lemmas); see `search.backends` for how each
database does it and docs/search.md for the whole flow.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.conf import settings
from django.utils.safestring import SafeString

from wagtail.models import Page, PageViewRestriction

from vestnik.authors.models import Expert
from vestnik.core import page_cache
from vestnik.core.indexing import indexed_type
from vestnik.discovery.search import queries
from vestnik.discovery.search.backends import RANK_WINDOW, backend
from vestnik.discovery.search.lemmas import Term, query_terms
from vestnik.discovery.search.queries import Conditions, Counts
from vestnik.discovery.search.snippets import Highlighter
from vestnik.vocabulary.models import Country, Topic

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 20
RESULTS_PER_PAGE = 10
FACET_SIZE = 10
MIN_YEAR, MAX_YEAR = 1000, 2999
# Relevance order reaches this many results (100 pages); date order reaches all.
MAX_RANKED_RESULTS = RANK_WINDOW


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True)
class SearchFilters:
    """What a reader narrowed the results to: slugs and a year, as they come in the URL."""

    author: str = ""
    country: str = ""
    topic: str = ""
    year: int | None = None


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: list[Term]
    # The reader's query was longer than MAX_QUERY_LENGTH characters and was cut.
    shortened: bool = False
    # It had more than MAX_QUERY_TERMS distinct words; the rest were ignored.
    too_many_terms: bool = False

    @property
    def lemmas(self) -> list[str]:
        """One dictionary form per query word, to show what was searched for."""
        return [term[0] for term in self.terms]


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facets:
    authors: list[FacetValue] = field(default_factory=list)
    countries: list[FacetValue] = field(default_factory=list)
    topics: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.authors or self.countries or self.topics or self.years)


@dataclass(frozen=True)
class SearchHit:
    # The specific page (an `ArticlePage` with its byline, a publication, an event).
    page: Page
    title: SafeString
    snippet: SafeString
    language: str
    # The registered type's kind ("article", "publication", "event") and its label.
    kind: str = ""
    kind_label: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters
    sort: Sort
    # The language searched in ('ru', 'en'), or None for every language.
    language: str | None = None
    hits: list[SearchHit] = field(default_factory=list)
    facets: Facets = field(default_factory=Facets)
    total: int = 0
    page: int = 1
    num_pages: int = 1
    # False when a very broad query's facets were counted among its newest matches only.
    facets_exact: bool = True

    @property
    def ranked_cut(self) -> bool:
        """Relevance order stops short of all the results (date order reaches them all)."""
        return self.sort is Sort.RELEVANCE and self.total > MAX_RANKED_RESULTS

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def query_text(text: str) -> str:
    """The query as searched and shown: whitespace collapsed, cut at MAX_QUERY_LENGTH."""
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def parse_query(text: str) -> ParsedQuery:
    collapsed = " ".join(text.split())
    shortened = len(collapsed) > MAX_QUERY_LENGTH
    text = query_text(collapsed)
    terms, too_many = query_terms(text, limit=MAX_QUERY_TERMS)
    return ParsedQuery(text=text, terms=terms, shortened=shortened, too_many_terms=too_many)


# --- filters -------------------------------------------------------------------


@dataclass(frozen=True)
class _Resolved:
    """Filters whose slugs name something that exists; unknown slugs are dropped."""

    filters: SearchFilters
    author: Expert | None = None
    country: Country | None = None
    topic: Topic | None = None


def _resolve(filters: SearchFilters) -> _Resolved:
    author = Expert.objects.filter(slug=filters.author).first() if filters.author else None
    country = Country.objects.filter(slug=filters.country).first() if filters.country else None
    topic = Topic.objects.filter(slug=filters.topic).first() if filters.topic else None
    year = (
        filters.year if filters.year is not None and MIN_YEAR <= filters.year <= MAX_YEAR else None
    )
    return _Resolved(
        filters=SearchFilters(
            author=author.slug if author else "",
            country=country.slug if country else "",
            topic=topic.slug if topic else "",
            year=year,
        ),
        author=author,
        country=country,
        topic=topic,
    )


def _conditions(resolved: _Resolved, language: str | None) -> Conditions:
    return Conditions.build(
        tag_has=backend().tag_has,
        language=language or "",
        author_id=resolved.author.pk if resolved.author else None,
        country_id=resolved.country.pk if resolved.country else None,
        topic_id=resolved.topic.pk if resolved.topic else None,
        year=resolved.filters.year,
        hidden_paths=list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


# --- facets --------------------------------------------------------------------


def _facet(
    counts: dict[int, int], names: dict[int, tuple[str, str]], selected: str
) -> list[FacetValue]:
    """The most frequent values first, then by name; `names` maps an id to (key, label)."""
    ranked = sorted(
        (item for item in counts.items() if item[0] in names),
        key=lambda item: (-item[1], names[item[0]][1]),
    )
    return [
        FacetValue(names[pk][0], names[pk][1], count, names[pk][0] == selected)
        for pk, count in ranked[:FACET_SIZE]
    ]


def _facets(counts: Counts, filters: SearchFilters) -> Facets:
    authors = {
        expert.pk: (expert.slug, expert.display_name)
        for expert in Expert.objects.filter(pk__in=list(counts.facets["author"]))
    }
    countries = {
        country.pk: (country.slug, country.name)
        for country in Country.objects.filter(pk__in=list(counts.facets["country"]))
    }
    topics = {
        topic.pk: (topic.slug, topic.name)
        for topic in Topic.objects.filter(pk__in=list(counts.facets["topic"]))
    }
    years = sorted(counts.facets["year"].items(), reverse=True)[:FACET_SIZE]
    return Facets(
        authors=_facet(counts.facets["author"], authors, filters.author),
        countries=_facet(counts.facets["country"], countries, filters.country),
        topics=_facet(counts.facets["topic"], topics, filters.topic),
        years=[
            FacetValue(str(year), str(year), count, year == filters.year) for year, count in years
        ],
    )


# --- the cache -----------------------------------------------------------------


def _cached(
    terms: list[Term],
    resolved: _Resolved,
    conditions: Conditions,
    sort: Sort,
    page: int,
    run: Callable[[], queries.Found],
) -> queries.Found:
    """The statement's answer, kept for VESTNIK_SEARCH_CACHE_SECONDS in the content generation.

    Every write to the index moves the generation on (`search.services`), as
    publishing does for pages, so an answer is never staler than the index; the
    timeout only bounds how long a rarely repeated query takes room. Names of
    facet values and the page's articles are read fresh on every search.
    """
    seconds = int(getattr(settings, "VESTNIK_SEARCH_CACHE_SECONDS", 0))
    if seconds <= 0:
        return run()
    key = json.dumps(
        [
            terms,
            resolved.author.pk if resolved.author else None,
            resolved.country.pk if resolved.country else None,
            resolved.topic.pk if resolved.topic else None,
            resolved.filters.year,
            sorted(conditions.hidden_paths),
            conditions.language,
            sort.value,
            page,
        ],
        ensure_ascii=False,
    )
    # "v2": answers name each hit's kind and date since page types other than articles.
    name = "search:v2:" + hashlib.sha256(key.encode()).hexdigest()
    return page_cache.remember(name, run, timeout=seconds)


# --- results -------------------------------------------------------------------


def _pages(rows: list[queries.Hit]) -> dict[int, Page]:
    """The hits' specific pages: one query per kind among them, plus what its type's
    `prepare` reads for a results list (an article's blog and co-authors)."""
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        ids_by_kind[row.kind].append(row.page_id)
    pages: dict[int, Page] = {}
    for kind, ids in ids_by_kind.items():
        registered = indexed_type(kind)
        if registered is None:
            continue  # an app that was unregistered; its documents wait for a reindex
        pages.update((page.pk, page) for page in registered.load(ids))
    return pages


def _hits(rows: list[queries.Hit], terms: list[Term]) -> list[SearchHit]:
    """Hits for the statement's rows, in their order."""
    pages = _pages(rows)
    highlighter = Highlighter(terms)
    hits: list[SearchHit] = []
    for row in rows:
        page = pages.get(row.page_id)
        if page is None:
            continue
        registered = indexed_type(row.kind)
        hits.append(
            SearchHit(
                page=page,
                title=highlighter.highlight(page.title),
                snippet=highlighter.snippet(row.text),
                language=row.language,
                kind=row.kind,
                kind_label=str(registered.label) if registered is not None else "",
                date=row.date,
            )
        )
    return hits


def search_articles(
    *,
    query: str,
    language: str | None,
    filters: SearchFilters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
) -> SearchResults:
    """One page of the pages in `language` (None: in every language) that match
    `query`, of every registered type, with facets over all of them."""
    parsed = parse_query(query)
    resolved = _resolve(filters or SearchFilters())
    results = SearchResults(query=parsed, filters=resolved.filters, sort=sort, language=language)
    if not parsed.terms:
        return results

    search = backend()
    conditions = _conditions(resolved, language)
    page = max(1, page)

    def run(page: int) -> queries.Found:
        with search.reading():
            return queries.search(
                search,
                parsed.terms,
                conditions,
                by_date=sort is Sort.DATE,
                limit=RESULTS_PER_PAGE,
                offset=(page - 1) * RESULTS_PER_PAGE,
            )

    def cached_run(page: int) -> queries.Found:
        return _cached(parsed.terms, resolved, conditions, sort, page, lambda: run(page))

    # One statement answers the counts and the page; a page beyond the last
    # (an old link, a hand-made URL) is known only then and shows the last page.
    found = cached_run(page)
    counts = found.counts
    shown = counts.total if sort is Sort.DATE else min(counts.total, MAX_RANKED_RESULTS)
    num_pages = max(1, math.ceil(shown / RESULTS_PER_PAGE))
    if page > num_pages:
        page = num_pages
        found = cached_run(page)
    rows = found.rows
    return replace(
        results,
        hits=_hits(rows, parsed.terms),
        facets=_facets(counts, resolved.filters),
        total=counts.total,
        page=page,
        num_pages=num_pages,
        facets_exact=counts.exact,
    )
