"""The SQL of one search: one statement for the counts, the facets and a page of results.

The match is evaluated once: a CTE holds the matching documents with one flag
per active filter; the total, the four facets and the page of results are all
read from it. Each facet is counted over the rows that pass every filter but
its own (so a reader can switch a country without first removing the one
chosen). Written as SQL because the ORM cannot share one evaluation of the
full-text match between the total, four facets and the page, and evaluating
it once per part costs several times as much on a large archive (see
docs/performance.md, «Search»).

Only the match and the ranking differ per database (`search.backends`); the
statements run unchanged on SQLite ≥ 3.35 and PostgreSQL ≥ 12. Every value is
a bound parameter; table and column names come from the models.
"""

# ruff: noqa: S608 — statements here are assembled from constants and from fragments of
# `search.backends`, never from input; every value travels as a bound parameter.
from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.backends import RANK_WINDOW, Backend
from vestnik.discovery.search.lemmas import Term

Params = list[int | str]
FILTERS = ("author", "country", "topic", "year")
FACET_WINDOW = 5000

_DOCUMENTS = SearchDocument._meta.db_table
_PAGES = "wagtailcore_page"


@dataclass(frozen=True)
class Conditions:
    """SQL conditions on the documents (alias `d`) for each active filter, and visibility."""

    filters: dict[str, tuple[str, Params]] = field(default_factory=dict)
    hidden_paths: Sequence[str] = ()
    # The articles' language ('ru', 'en'); empty for every language.
    language: str = ""

    @classmethod
    def build(
        cls,
        *,
        tag_has: Callable[[str], str],
        author_id: int | None = None,
        country_id: int | None = None,
        topic_id: int | None = None,
        year: int | None = None,
        hidden_paths: Sequence[str] = (),
        language: str = "",
    ) -> Conditions:
        # Tags are read from the document's own JSON lists, as the facets are:
        # every registered page type has tag tables of its own, and the lists
        # hold what was published, which is what the facets counted.
        filters: dict[str, tuple[str, Params]] = {}
        if author_id is not None:
            filters["author"] = (
                f"(d.expert_id = %s OR {tag_has('co_authors')})",
                [author_id, author_id],
            )
        if country_id is not None:
            filters["country"] = (tag_has("countries"), [country_id])
        if topic_id is not None:
            filters["topic"] = (tag_has("topics"), [topic_id])
        if year is not None:
            filters["year"] = (
                "(d.publication_date >= %s AND d.publication_date < %s)",
                [datetime.date(year, 1, 1).isoformat(), datetime.date(year + 1, 1, 1).isoformat()],
            )
        return cls(filters=filters, hidden_paths=tuple(hidden_paths), language=language)

    def visibility(self) -> tuple[str, Params]:
        """Leave out articles under a page with a view restriction (a password, a group)."""
        if not self.hidden_paths:
            return "", []
        likes = " OR ".join(["p.path LIKE %s"] * len(self.hidden_paths))
        return (
            f" AND NOT EXISTS (SELECT 1 FROM {_PAGES} p WHERE p.id = d.page_id AND ({likes}))",
            [f"{path}%" for path in self.hidden_paths],
        )

    def scope(self) -> tuple[str, Params]:
        """What every part of a search counts among: visible articles, in the language asked for.

        Not a facet filter: the total, the facets and the page all follow it alike.
        """
        sql, params = self.visibility()
        if self.language:
            sql, params = f"{sql} AND d.language = %s", [*params, self.language]
        return sql, params

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


@dataclass(frozen=True)
class Hit:
    """One result's document: its page, text, language, kind and date."""

    page_id: int
    text: str
    language: str
    kind: str
    date: datetime.date


@dataclass(frozen=True)
class Found:
    """What one statement returns: the counts, and one page of hits in order."""

    counts: Counts
    rows: list[Hit]


def search(
    backend: Backend,
    terms: Sequence[Term],
    conditions: Conditions,
    *,
    by_date: bool,
    limit: int,
    offset: int,
) -> Found:
    """The number of matches, the counts of every facet and one page of results, in one statement.

    The total is exact; facets are counted among the newest FACET_WINDOW
    matches, which is all of them unless the query is very broad: sorting and
    unpacking the tags of every match of a word found in most of 100,000
    articles would cost more than the rest of the search together. The page is
    chosen on ids, dates and ranks alone; texts are read for its rows only.
    Rows come back as (kind, value, count, text, language, page kind, date); a
    page's rows are ('hit', position, page id, text, language, page kind, date).
    """
    scope_sql, scope_params = conditions.scope()
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

    def tag_facet(name: str, tags: str, condition: str = "") -> str:
        source, value = backend.tag_join(tags)
        where = f" WHERE {condition.format(value=value)}" if condition else ""
        return (
            f" UNION ALL SELECT '{name}', {value}, COUNT(*), NULL, NULL, NULL, NULL FROM {source}"
            f"{where}{all_but(name, 'm.', 'AND' if where else 'WHERE')} GROUP BY {value}"
        )

    matched = (
        " UNION ALL SELECT 'matched', 0, COUNT(*), NULL, NULL, NULL, NULL FROM found"
        if active
        else ""
    )
    found_sql, found_params = backend.found_sql(
        terms, columns=flag_columns, where_sql=scope_sql, ranked=not by_date
    )

    # With no filter active every match passes, and the newest matches are
    # already sorted in `recent`: the ranking candidates and the pages of date
    # order within it are cut from those rows instead of sorting every match again.
    def newest(rows: int) -> str:
        return "recent" if not active and rows <= FACET_WINDOW else "found"

    if by_date:
        chosen_sql = (
            "SELECT page_id, ROW_NUMBER() OVER"
            " (ORDER BY publication_date DESC, page_id DESC) AS position"
            f" FROM (SELECT page_id, publication_date FROM {newest(offset + limit)}"
            f"{passing(FILTERS)} ORDER BY publication_date DESC, page_id DESC LIMIT %s OFFSET %s) p"
        )
        chosen_params: Params = [limit, offset]
    else:
        chosen_sql, chosen_params = backend.ranked_page_sql(
            terms,
            newest=newest(RANK_WINDOW),
            where_sql=passing(FILTERS),
            limit=limit,
            offset=offset,
        )
    sql = (
        # Materialised first, so that the date order below cannot make
        # PostgreSQL walk the date index and read every article's vector.
        f"WITH found AS MATERIALIZED ({found_sql}),"
        f" recent AS MATERIALIZED ({backend.recent_sql()}),"
        f" chosen AS MATERIALIZED ({chosen_sql})"
        # The first row's types are the union's on PostgreSQL: a NULL there would be text.
        f" SELECT 'total', 0, COUNT(*), NULL, NULL, NULL, CAST(NULL AS DATE)"
        f" FROM found{passing(FILTERS)}"
        # With a filter active, the total counts fewer rows than the window sees.
        f"{matched}"
        " UNION ALL SELECT 'year', year, COUNT(*), NULL, NULL, NULL, NULL FROM recent"
        f"{all_but('year')} GROUP BY year"
        " UNION ALL SELECT 'author', expert_id, COUNT(*), NULL, NULL, NULL, NULL FROM recent"
        f" WHERE expert_id IS NOT NULL{all_but('author', prefix='AND')} GROUP BY expert_id"
        # A co-author who also owns the blog is counted once, as its owner.
        f"{tag_facet('author', 'co_authors', '(m.expert_id IS NULL OR {value} <> m.expert_id)')}"
        f"{tag_facet('country', 'countries')}"
        f"{tag_facet('topic', 'topics')}"
        " UNION ALL SELECT 'hit', c.position, c.page_id, d.text, d.language, d.kind,"
        " d.publication_date FROM chosen c"
        f" JOIN {_DOCUMENTS} d ON d.page_id = c.page_id"
    )
    params = [*flag_params, *found_params, *scope_params, FACET_WINDOW, *chosen_params]
    totals = {"total": 0, "matched": 0}
    facets: dict[str, dict[int, int]] = {name: {} for name in FILTERS}
    hits: list[tuple[int, Hit]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, count, text, language, page_kind, date in cursor.fetchall():
            if kind == "hit":
                hits.append((int(value), Hit(int(count), text, language, page_kind, _date(date))))
            elif kind in totals:
                totals[kind] = int(count or 0)
            elif value is not None:
                bucket = facets[kind]
                bucket[int(value)] = bucket.get(int(value), 0) + int(count)
    matches = totals["matched"] if active else totals["total"]
    counts = Counts(total=totals["total"], facets=facets, exact=matches <= FACET_WINDOW)
    rows = [hit for _position, hit in sorted(hits, key=lambda item: item[0])]
    return Found(counts=counts, rows=rows)


def _date(value: datetime.date | str) -> datetime.date:
    """PostgreSQL returns a date, SQLite its ISO text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
