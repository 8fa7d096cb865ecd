"""The SQL of one search: a statement for the counts, one for a page of results.

Counting and faceting evaluate the match once: a CTE holds the matching
documents with one flag per active filter, and each facet is counted over the
rows that pass every filter but its own (so a reader can switch a country
without first removing the one chosen). Written as SQL because the ORM cannot
share one evaluation of the full-text match between the total and four
facets, and re-evaluating it per facet costs five times as much on a large
archive (see docs/performance.md, «Search»).

Only the match and the ranking differ per database (`search.backends`); the
statements run unchanged on SQLite ≥ 3.35 and PostgreSQL ≥ 12. Every value is
a bound parameter; table and column names come from the models.
"""

# ruff: noqa: S608 — statements here are assembled from constants and from fragments of
# `search.backends`, never from input; every value travels as a bound parameter.
from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from vestnik.articles.models import ArticlePage
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.backends import Backend
from vestnik.discovery.search.lemmas import Term

Params = list[int | str]
FILTERS = ("author", "country", "topic", "year")
FACET_WINDOW = 5000

_DOCUMENTS = SearchDocument._meta.db_table
_PAGES = "wagtailcore_page"
_CO_AUTHORS = ArticlePage.co_authors.through._meta.db_table
_COUNTRIES = ArticlePage.countries.through._meta.db_table
_TOPICS = ArticlePage.topics.through._meta.db_table


@dataclass(frozen=True)
class Conditions:
    """SQL conditions on the documents (alias `d`) for each active filter, and visibility."""

    filters: dict[str, tuple[str, Params]] = field(default_factory=dict)
    hidden_paths: Sequence[str] = ()

    @classmethod
    def build(
        cls,
        *,
        author_id: int | None = None,
        country_id: int | None = None,
        topic_id: int | None = None,
        year: int | None = None,
        hidden_paths: Sequence[str] = (),
    ) -> Conditions:
        # `IN (SELECT …)` rather than a correlated EXISTS: both databases read
        # the tagged articles once into a hash or an index instead of probing
        # the tag table for every match.
        filters: dict[str, tuple[str, Params]] = {}
        if author_id is not None:
            filters["author"] = (
                f"(d.expert_id = %s OR d.page_id IN (SELECT articlepage_id FROM {_CO_AUTHORS}"
                " WHERE expert_id = %s))",
                [author_id, author_id],
            )
        if country_id is not None:
            filters["country"] = (
                f"d.page_id IN (SELECT articlepage_id FROM {_COUNTRIES} WHERE country_id = %s)",
                [country_id],
            )
        if topic_id is not None:
            filters["topic"] = (
                f"d.page_id IN (SELECT articlepage_id FROM {_TOPICS} WHERE topic_id = %s)",
                [topic_id],
            )
        if year is not None:
            filters["year"] = (
                "(d.publication_date >= %s AND d.publication_date < %s)",
                [datetime.date(year, 1, 1).isoformat(), datetime.date(year + 1, 1, 1).isoformat()],
            )
        return cls(filters=filters, hidden_paths=tuple(hidden_paths))

    def visibility(self) -> tuple[str, Params]:
        """Leave out articles under a page with a view restriction (a password, a group)."""
        if not self.hidden_paths:
            return "", []
        likes = " OR ".join(["p.path LIKE %s"] * len(self.hidden_paths))
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {_PAGES} p WHERE p.id = d.page_id AND ({likes}))",
            [f"{path}%" for path in self.hidden_paths],
        )

    def all_filters(self) -> tuple[str, Params]:
        sql = "".join(f" AND {condition}" for condition, _params in self.filters.values())
        return sql, [p for _condition, params in self.filters.values() for p in params]


@dataclass(frozen=True)
class Counts:
    total: int = 0
    # facet -> {value id or year: number of matching articles}
    facets: dict[str, dict[int, int]] = field(default_factory=dict)
    # False when facets were counted among the newest FACET_WINDOW matches only.
    exact: bool = True


def counts(backend: Backend, terms: Sequence[Term], conditions: Conditions) -> Counts:
    """The number of matches and the counts of every facet, in one statement.

    The total is exact; facets are counted among the newest FACET_WINDOW
    matches, which is all of them unless the query is very broad: joining every
    match of a word found in most of 100,000 articles with its countries and
    topics costs more than the rest of the search together.
    """
    match_sql, match_params = backend.match_condition(terms)
    visibility_sql, visibility_params = conditions.visibility()
    active = [name for name in FILTERS if name in conditions.filters]
    flag_columns = "".join(f", {conditions.filters[name][0]} AS ok_{name}" for name in active)
    flag_params = [p for name in active for p in conditions.filters[name][1]]

    def passing(names: Sequence[str], alias: str = "", prefix: str = "WHERE") -> str:
        # Inactive filters leave no condition behind, so the planner sees the
        # true size of the match set.
        flags = [f"{alias}ok_{name}" for name in names if name in active]
        return f" {prefix} " + " AND ".join(flags) if flags else ""

    def all_but(name: str, alias: str = "", prefix: str = "WHERE") -> str:
        return passing([other for other in FILTERS if other != name], alias, prefix)

    sql = (
        # Materialised first, so that the date order below cannot make
        # PostgreSQL walk the date index and read every article's vector.
        "WITH found AS MATERIALIZED ("
        f" SELECT d.page_id, d.expert_id, d.publication_date{flag_columns}"
        f" FROM {_DOCUMENTS} d WHERE {match_sql}{visibility_sql}),"
        " matches AS MATERIALIZED ("
        f" SELECT found.*, {backend.year_of('found.publication_date')} AS year FROM found"
        " ORDER BY publication_date DESC, page_id DESC LIMIT %s)"
        f" SELECT 'total', 0, COUNT(*) FROM found{passing(FILTERS)}"
        " UNION ALL SELECT 'matched', 0, COUNT(*) FROM found"
        f" UNION ALL SELECT 'year', year, COUNT(*) FROM matches{all_but('year')} GROUP BY year"
        " UNION ALL SELECT 'author', expert_id, COUNT(*) FROM matches"
        f" WHERE expert_id IS NOT NULL{all_but('author', prefix='AND')} GROUP BY expert_id"
        # A co-author who also owns the blog is counted once, as its owner.
        f" UNION ALL SELECT 'author', x.expert_id, COUNT(*) FROM matches m JOIN {_CO_AUTHORS} x"
        " ON x.articlepage_id = m.page_id"
        " WHERE (m.expert_id IS NULL OR x.expert_id <> m.expert_id)"
        f"{all_but('author', 'm.', 'AND')} GROUP BY x.expert_id"
        f" UNION ALL SELECT 'country', x.country_id, COUNT(*) FROM matches m JOIN {_COUNTRIES} x"
        f" ON x.articlepage_id = m.page_id{all_but('country', 'm.')} GROUP BY x.country_id"
        f" UNION ALL SELECT 'topic', x.topic_id, COUNT(*) FROM matches m JOIN {_TOPICS} x"
        f" ON x.articlepage_id = m.page_id{all_but('topic', 'm.')} GROUP BY x.topic_id"
    )
    totals = {"total": 0, "matched": 0}
    facets: dict[str, dict[int, int]] = {name: {} for name in FILTERS}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*flag_params, *match_params, *visibility_params, FACET_WINDOW])
        for facet, value, count in cursor.fetchall():
            if facet in totals:
                totals[facet] = int(count or 0)
            elif value is not None:
                bucket = facets[facet]
                bucket[int(value)] = bucket.get(int(value), 0) + int(count)
    return Counts(total=totals["total"], facets=facets, exact=totals["matched"] <= FACET_WINDOW)


def page_rows(
    backend: Backend,
    terms: Sequence[Term],
    conditions: Conditions,
    *,
    by_date: bool,
    limit: int,
    offset: int,
) -> list[tuple[int, str, str]]:
    """(page id, text, language) of one page of results, best or newest first.

    The page is chosen on ids, dates and ranks alone; texts are read for its ten rows only.
    """
    filters_sql, filters_params = conditions.all_filters()
    visibility_sql, visibility_params = conditions.visibility()
    where_sql = filters_sql + visibility_sql
    where_params = [*filters_params, *visibility_params]
    if by_date:
        match_sql, match_params = backend.match_condition(terms)
        # Materialised, so that PostgreSQL finds the matches in the full-text
        # index and sorts them, rather than walking the date index and reading
        # every article's vector until it has enough.
        chosen = (
            "WITH m AS MATERIALIZED (SELECT d.page_id, d.publication_date"
            f" FROM {_DOCUMENTS} d WHERE {match_sql}{where_sql})"
            " SELECT page_id, publication_date FROM m"
            " ORDER BY publication_date DESC, page_id DESC LIMIT %s OFFSET %s"
        )
        order = "r.publication_date DESC, r.page_id DESC"
        params = [*match_params, *where_params, limit, offset]
    else:
        ranked_sql, params = backend.ranked_sql(terms, where_sql, where_params)
        chosen = (
            f"SELECT * FROM ({ranked_sql}) ranked"
            " ORDER BY rank DESC, publication_date DESC, page_id DESC LIMIT %s OFFSET %s"
        )
        order = "r.rank DESC, r.publication_date DESC, r.page_id DESC"
        params = [*params, limit, offset]
    sql = (
        f"SELECT d.page_id, d.text, d.language FROM ({chosen}) r"
        f" JOIN {_DOCUMENTS} d ON d.page_id = r.page_id ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), text, language) for pk, text, language in cursor.fetchall()]
