"""The full-text index of each database, next to the `SearchDocument` rows.

Both backends store the same terms (from `search.lemmas`) and evaluate the same
condition — every query word must match, through any of its lemmas — so they
find the same articles for the same data. They differ in ranking (FTS5's bm25
on SQLite, `ts_rank` on PostgreSQL) and in where the index lives:

- SQLite: the FTS5 table `discovery_searchdocument_fts` (rowid = page id,
  columns title and body, each a space-separated list of terms); a query is an
  FTS5 expression of quoted strings, so nothing a reader types is ever parsed
  as FTS5 syntax;
- PostgreSQL: the document's `vector` column, with a GIN index. Vectors and
  queries are tsvector/tsquery literals rather than `to_tsvector` calls, so
  PostgreSQL's own word parser never re-splits a term.

Both are created by migration discovery 0002. SQL fragments here refer to the
document table as `d`; every value in them is a bound parameter.
"""

# ruff: noqa: S608 — statements here are assembled from constants and from names chosen by
# `search.queries`, never from input; every value travels as a bound parameter.
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.lemmas import Term

Params = list[int | str]

_FTS_INSERT = "INSERT INTO discovery_searchdocument_fts (rowid, title, body) VALUES (%s, %s, %s)"
_FTS_DELETE = "DELETE FROM discovery_searchdocument_fts WHERE rowid = %s"
_FTS_CLEAR = "DELETE FROM discovery_searchdocument_fts"
_FTS_FOUND = (
    "SELECT d.page_id, d.expert_id, d.publication_date, d.countries, d.topics, d.co_authors"
    "{rank}{columns}"
    " FROM discovery_searchdocument_fts"
    # The planner would read each match's row by its rowid, and every column
    # read here lies past the article's text, in the row's overflow pages; the
    # index (migration discovery 0004) holds them all.
    " JOIN discovery_searchdocument d INDEXED BY discovery_searchdocument_found"
    " ON d.page_id = discovery_searchdocument_fts.rowid"
    " WHERE discovery_searchdocument_fts MATCH %s{where}"
)
# bm25 is lower for better matches; a match in the title counts five times one
# in the body. FTS5 computes it from its own index, so every match is ranked.
_FTS_RANK = ", -bm25(discovery_searchdocument_fts, 5.0, 1.0) AS rank"
# One page in the order given, numbered: the outer statement returns rows unordered.
_RECENT = (
    "SELECT found.*, {year} AS year FROM found"
    " ORDER BY publication_date DESC, page_id DESC LIMIT %s"
)
_NUMBERED_PAGE = (
    "SELECT page_id, ROW_NUMBER() OVER (ORDER BY {order}) AS position"
    " FROM ({rows} ORDER BY {order} LIMIT %s OFFSET %s) p"
)
_BY_RANK = "rank DESC, publication_date DESC, page_id DESC"
# The matches of a common word are tens of thousands of rows, materialised and
# sorted: they carry the row's address instead of its tags, and the newest
# 5,000 fetch their tags by it (half the time of carrying them all along).
_PG_FOUND = (
    "SELECT d.ctid AS row_id, d.page_id, d.expert_id, d.publication_date{columns}"
    " FROM discovery_searchdocument d WHERE d.vector @@ %s::tsquery{where}"
)
_PG_RECENT = (
    "SELECT r.*, d.countries, d.topics, d.co_authors, {year} AS year"
    " FROM (SELECT * FROM found ORDER BY publication_date DESC, page_id DESC LIMIT %s) r"
    " JOIN discovery_searchdocument d ON d.ctid = r.row_id"
)
# ts_rank reads each candidate's whole vector out of TOAST, so the candidates
# are the newest RANK_WINDOW matches (all of them, for most queries).
_PG_RANKED = (
    "SELECT c.page_id, c.publication_date,"
    " (SELECT ts_rank(v.vector, %s::tsquery) FROM discovery_searchdocument v"
    " WHERE v.page_id = c.page_id) AS rank"
    " FROM (SELECT page_id, publication_date FROM {newest}{where}"
    " ORDER BY publication_date DESC, page_id DESC LIMIT %s) c"
)
# The match is answered from the GIN index; PostgreSQL's planner does not count
# the cost of reading each row's vector out of TOAST, so for a common word it
# prefers a sequential scan that is tens of times slower (docs/performance.md).
# work_mem: the matches of a common word are sorted by date and counted in
# memory rather than in temporary files.
_PG_TUNING = (
    "SELECT set_config('enable_seqscan', 'off', true), set_config('work_mem', '32MB', true)"
)
_PG_REBUILD_TUNING = (
    "SELECT set_config('gin_pending_list_limit', '131072', true),"
    " set_config('work_mem', '256MB', true)"
)
_PG_MERGE_PENDING = "SELECT gin_clean_pending_list('discovery_searchdocument_vector'::regclass)"
RANK_WINDOW = 1000
# PostgreSQL keeps at most 256 positions per lexeme, numbered up to 16383.
_PG_MAX_POSITIONS = 256
_PG_MAX_POSITION = 16383


@dataclass(frozen=True)
class IndexEntry:
    page_id: int
    title: Sequence[Term]
    body: Sequence[Term]


class Backend(Protocol):
    def year_of(self, column: str) -> str:
        """SQL for the year of a date column, as an integer."""

    def prepare(self, document: SearchDocument, entry: IndexEntry) -> None:
        """Fill in what the document row itself holds of the index, before it is saved."""

    def write(self, entries: Sequence[IndexEntry]) -> None:
        """Index `entries`, whose `SearchDocument` rows have been saved."""

    def remove(self, page_ids: Iterable[int]) -> None:
        """Forget the pages, whether or not their rows still exist."""

    def clear(self) -> None: ...

    def found_sql(
        self, terms: Sequence[Term], *, columns: str, where_sql: str, ranked: bool
    ) -> tuple[str, Params]:
        """The matching documents: page_id, expert_id, publication_date, *columns, and
        whatever else the backend's `recent_sql` and ranking need (its rank on SQLite).

        `columns` and `where_sql` (which starts with AND) refer to the document as `d`;
        their parameters come before and after the returned ones. With `ranked`, the
        backend may add its rank, when it costs little for every match (SQLite).
        """

    def recent_sql(self) -> str:
        """The newest `%s` rows of `found`, with their tags and year; unordered."""

    def tag_has(self, tags: str, alias: str = "d") -> str:
        """SQL true when the document `alias`'s JSON list `tags` holds the id given as `%s`."""

    def tag_join(self, tags: str) -> tuple[str, str]:
        """(FROM, value): each row `m` of `recent` once per id in its JSON list `tags`.

        `tags` is "countries", "topics" or "co_authors"; `value` is SQL for the id.
        """

    def ranked_page_sql(
        self, terms: Sequence[Term], *, newest: str, where_sql: str, limit: int, offset: int
    ) -> tuple[str, Params]:
        """(page_id, position) of one page of `found` by relevance, best first.

        `newest` names `found` or a prefix of it sorted newest first, which holds at
        least RANK_WINDOW rows if there are that many; `where_sql` filters either.
        """

    def reading(self) -> AbstractContextManager[None]:
        """The transaction, if any, that the statements of one search run in."""

    def rebuilding(self) -> AbstractContextManager[None]:
        """Around a rebuild, inside its transaction: settings for writing every document."""


def _flatten(terms: Sequence[Term]) -> str:
    return " ".join(lemma for term in terms for lemma in term)


class SqliteBackend:
    def year_of(self, column: str) -> str:
        return f"CAST(substr({column}, 1, 4) AS INTEGER)"

    def prepare(self, document: SearchDocument, entry: IndexEntry) -> None:
        """Nothing to do: the index is the FTS5 table."""

    def write(self, entries: Sequence[IndexEntry]) -> None:
        self.remove(entry.page_id for entry in entries)
        with connection.cursor() as cursor:
            cursor.executemany(
                _FTS_INSERT, [(e.page_id, _flatten(e.title), _flatten(e.body)) for e in entries]
            )

    def remove(self, page_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(_FTS_DELETE, [(page_id,) for page_id in page_ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(_FTS_CLEAR)

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        """`("турецкий") AND ("стать" OR "сталь")`: terms are quoted strings, never syntax."""
        return " AND ".join(
            "(" + " OR ".join(f'"{lemma}"' for lemma in term) + ")" for term in terms
        )

    def found_sql(
        self, terms: Sequence[Term], *, columns: str, where_sql: str, ranked: bool
    ) -> tuple[str, Params]:
        sql = _FTS_FOUND.format(rank=_FTS_RANK if ranked else "", columns=columns, where=where_sql)
        return sql, [self.expression(terms)]

    def recent_sql(self) -> str:
        return _RECENT.format(year=self.year_of("found.publication_date"))

    def tag_has(self, tags: str, alias: str = "d") -> str:
        return f"EXISTS (SELECT 1 FROM json_each({alias}.{tags}) WHERE value = %s)"

    def tag_join(self, tags: str) -> tuple[str, str]:
        return f"recent m, json_each(m.{tags}) AS x", "x.value"

    def ranked_page_sql(
        self, terms: Sequence[Term], *, newest: str, where_sql: str, limit: int, offset: int
    ) -> tuple[str, Params]:
        # bm25 came with every match: rank them all.
        rows = f"SELECT page_id, publication_date, rank FROM found{where_sql}"
        return _NUMBERED_PAGE.format(order=_BY_RANK, rows=rows), [limit, offset]

    def reading(self) -> AbstractContextManager[None]:
        # No transaction: with IMMEDIATE transactions (settings) it would take the write lock.
        return nullcontext()

    def rebuilding(self) -> AbstractContextManager[None]:
        return nullcontext()


class PostgresBackend:
    def year_of(self, column: str) -> str:
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"

    @staticmethod
    def vector(title: Sequence[Term], body: Sequence[Term]) -> str:
        """A tsvector literal: title terms weighted A, body terms D, positions by word."""
        positions: dict[str, list[str]] = {}
        for offset, terms, weight in ((0, title, "A"), (len(title), body, "")):
            for index, term in enumerate(terms, start=offset + 1):
                mark = f"{index}{weight}" if index < _PG_MAX_POSITION else str(_PG_MAX_POSITION)
                for lemma in term:
                    marks = positions.get(lemma)
                    if marks is None:
                        positions[lemma] = [mark]
                    elif len(marks) < _PG_MAX_POSITIONS:
                        marks.append(mark)
        return " ".join(f"'{lemma}':{','.join(marks)}" for lemma, marks in positions.items())

    @staticmethod
    def query(terms: Sequence[Term]) -> str:
        """`( 'турецкий' ) & ( 'стать' | 'сталь' )` as a tsquery literal."""
        return " & ".join(
            "( " + " | ".join(f"'{lemma}'" for lemma in term) + " )" for term in terms
        )

    def prepare(self, document: SearchDocument, entry: IndexEntry) -> None:
        document.vector = self.vector(entry.title, entry.body)

    def write(self, entries: Sequence[IndexEntry]) -> None:
        """Nothing to do: the vector was saved with the row."""

    def remove(self, page_ids: Iterable[int]) -> None:
        """Nothing to do: the vector goes with the row."""

    def clear(self) -> None:
        """Nothing to do: the vector goes with the row."""

    def found_sql(
        self, terms: Sequence[Term], *, columns: str, where_sql: str, ranked: bool
    ) -> tuple[str, Params]:
        return _PG_FOUND.format(columns=columns, where=where_sql), [self.query(terms)]

    def recent_sql(self) -> str:
        return _PG_RECENT.format(year=self.year_of("r.publication_date"))

    def tag_has(self, tags: str, alias: str = "d") -> str:
        return f"{alias}.{tags} @> jsonb_build_array(CAST(%s AS integer))"

    def tag_join(self, tags: str) -> tuple[str, str]:
        return (
            f"recent m CROSS JOIN LATERAL jsonb_array_elements_text(m.{tags}) AS x(value)",
            "CAST(x.value AS integer)",
        )

    def ranked_page_sql(
        self, terms: Sequence[Term], *, newest: str, where_sql: str, limit: int, offset: int
    ) -> tuple[str, Params]:
        rows = _PG_RANKED.format(newest=newest, where=where_sql)
        sql = _NUMBERED_PAGE.format(order=_BY_RANK, rows=f"SELECT * FROM ({rows}) r")
        return sql, [self.query(terms), RANK_WINDOW, limit, offset]

    @contextmanager
    def reading(self) -> Iterator[None]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_PG_TUNING)
            yield

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        # New vectors go to the GIN index's pending list, which is merged into
        # the index each time it fills: a large list merged once, at the end, in
        # memory, costs about a third less than many small merges (the rebuild
        # runs in one transaction, so the settings end with it).
        with connection.cursor() as cursor:
            cursor.execute(_PG_REBUILD_TUNING)
            yield
            cursor.execute(_PG_MERGE_PENDING)


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise ImproperlyConfigured(
        f"Search supports SQLite and PostgreSQL; DATABASE_URL points to {connection.vendor}."
    )
