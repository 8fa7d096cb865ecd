"""Which page types search and insights read, and what each page says: the indexing registry.

Search (`discovery.search`) and entity extraction (`insights`) live on a floor
above every content app, and know no page type by name. An app whose pages
should be found and analysed registers its page model here in its
`AppConfig.ready()`, with a *describer*: `describe(page) -> IndexedText`, the
page's words in reading order and the facts search counts facets by. Articles,
publications and events each register theirs; search and insights then index
any live, public page of a registered type (docs/search.md, «Registering a
page type»).

A describer reads the page as published and may run queries; a bulk describer
(`describe_many`) serves a rebuild of the whole index, where one query per page
for footnotes or tags would cost minutes on a large archive.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from wagtail.models import Page

from vestnik.core import front_cache

# The kind of a text part, as insights' extractor weighs it (a heading or a lead
# counts more than a caption). Anything else a page holds is a "paragraph".
PartKind = Literal["lead", "heading", "paragraph", "quote", "caption", "table"]


@dataclass(frozen=True)
class IndexedPart:
    kind: PartKind
    text: str


@dataclass(frozen=True)
class IndexedText:
    """What one page says, as search and insights read it.

    `parts` are the page's own words in reading order (plain text, one block
    each); `notes` are words search finds but insights does not analyse
    (footnotes, a bibliography: names and dates in them are the sources', not
    the page's). `authors` are expert ids, the main author first.
    """

    title: str
    language: str
    date: datetime.date
    parts: tuple[IndexedPart, ...] = ()
    notes: tuple[str, ...] = ()
    authors: tuple[int, ...] = ()
    countries: tuple[int, ...] = ()
    regions: tuple[int, ...] = ()
    topics: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """Everything search indexes, one part per line: the words, then the notes."""
        return "\n".join([*(part.text for part in self.parts), *self.notes])


Describer = Callable[[Any], IndexedText]
BulkDescriber = Callable[[Sequence[Any]], list[IndexedText]]
# Loads the pages of one type that a results list shows, from a queryset of them,
# with what the list needs (an article's byline), in a few queries for all.
Preparer = Callable[[Any], list[Any]]


@dataclass(frozen=True)
class IndexedType:
    model: type[Page]
    # A short name stored with each document: "article", "publication", "event".
    kind: str
    # What readers see beside a hit of this kind («Публикация»); a lazy string.
    label: Any
    describe: Describer
    describe_many: BulkDescriber | None = None
    prepare: Preparer | None = None
    # The fields a rebuild loads (`QuerySet.only`); empty for every field.
    fields: tuple[str, ...] = field(default=())

    def describe_all(self, pages: Sequence[Any]) -> list[IndexedText]:
        if self.describe_many is not None:
            return self.describe_many(pages)
        return [self.describe(page) for page in pages]

    def load(self, page_ids: Iterable[int]) -> list[Any]:
        """The pages of `page_ids` readied for a results list (`prepare`)."""
        pages = self.model.objects.filter(pk__in=list(page_ids))
        return self.prepare(pages) if self.prepare is not None else list(pages)


_types: dict[str, IndexedType] = {}


def indexed_page_register(
    model: type[Page],
    *,
    kind: str,
    label: Any,
    describe: Describer,
    describe_many: BulkDescriber | None = None,
    prepare: Preparer | None = None,
    fields: Iterable[str] = (),
) -> None:
    """Have search and insights index every live, public `model` page through `describe`.

    Call it from the app's `AppConfig.ready()`. `describe_many(pages)` returns
    one `IndexedText` per page, in order (a rebuild's batches); `prepare(queryset)`
    returns the queryset's pages readied for a results list (by default, as
    they are); `fields` limits what a rebuild loads. Registering a kind again
    replaces it (tests do).
    """
    _types[kind] = IndexedType(
        model=model,
        kind=kind,
        label=label,
        describe=describe,
        describe_many=describe_many,
        prepare=prepare,
        fields=tuple(fields),
    )


def indexed_page_unregister(kind: str) -> None:
    _types.pop(kind, None)


def indexed_types() -> list[IndexedType]:
    return list(_types.values())


def indexed_type(kind: str) -> IndexedType | None:
    return _types.get(kind)


def indexed_type_of(page: Any) -> IndexedType | None:
    """The registration `page` falls under; None for a page search does not index.

    Only the specific page counts: the base `Page` row of an article is not an
    article (deleting an article signals both, and it is forgotten once).
    """
    for registered in _types.values():
        if isinstance(page, registered.model):
            return registered
    return None


def indexed_pages_load(pages: Iterable[Page], *, annotations: Iterable[str] = ()) -> list[Any]:
    """`pages` (base or specific) as their registered types, in order, readied for a list.

    One query per type among them, plus what its `prepare` reads; pages of a
    type nobody registered are left out. Each page gets `indexed_kind` and
    `indexed_label` (a listing of mixed kinds tells them apart by these) and
    keeps the `annotations` the query that read `pages` added (`entity_mentions`).
    """
    annotations = tuple(annotations)
    pages = list(pages)
    by_model = {registered.model: registered for registered in _types.values()}
    ids: dict[type[Page], list[int]] = {}
    for page in pages:
        model = page.specific_class
        if model in by_model:
            ids.setdefault(model, []).append(page.pk)
    loaded: dict[int, Any] = {}
    for model, page_ids in ids.items():
        loaded.update((page.pk, page) for page in by_model[model].load(page_ids))
    result: list[Any] = []
    for page in pages:
        specific = loaded.get(page.pk)
        if specific is None:
            continue
        for name in annotations:
            setattr(specific, name, getattr(page, name))
        registered = by_model[type(specific)]
        specific.indexed_kind = registered.kind
        specific.indexed_label = registered.label
        result.append(specific)
    # Every entry is a view of its page: a change to it purges the listing.
    front_cache.depends_on(*(front_cache.page_key(page.pk) for page in result))
    return result
