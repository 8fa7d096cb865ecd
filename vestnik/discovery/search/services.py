"""Writes to the search index: one public page, one `SearchDocument` and its terms.

Any page type registered with `core.indexing` is indexed (articles,
publications, events), through its describer. The index holds only what an
anonymous reader may see (`core.selectors.visible_to_public`): publishing
indexes a page, unpublishing, deleting or restricting it (a password, a login,
on it or above it) removes it, lifting the restriction indexes it again (see
`discovery.signal_handlers`); `search_index_rebuild` starts over from the
public pages of every registered type (`manage.py search_reindex`). Each write
is one transaction, so the document row and the backend's full-text entry
never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from vestnik.articles.models import BlogPage
from vestnik.core import page_cache
from vestnik.core.indexing import IndexedText, IndexedType, indexed_type_of, indexed_types
from vestnik.core.selectors import visible_to_public
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.backends import IndexEntry, backend
from vestnik.discovery.search.documents import page_document
from vestnik.discovery.search.lemmas import TermCache

REBUILD_BATCH_SIZE = 500


def _index(
    kind: str,
    pages_and_texts: Sequence[tuple[Any, IndexedText]],
    cache: TermCache | None = None,
) -> int:
    search = backend()
    documents: list[SearchDocument] = []
    entries: list[IndexEntry] = []
    for page, described in pages_and_texts:
        document_text = page_document(described, cache=cache)
        entry = IndexEntry(page.pk, document_text.title_terms, document_text.body_terms)
        authors = list(described.authors)
        document = SearchDocument(
            page_id=page.pk,
            kind=kind,
            language=described.language,
            text=document_text.text,
            publication_date=described.date,
            expert_id=authors[0] if authors else None,
            countries=sorted(set(described.countries)),
            topics=sorted(set(described.topics)),
            regions=sorted(set(described.regions)),
            co_authors=sorted(set(authors[1:]) - set(authors[:1])),
        )
        search.prepare(document, entry)
        documents.append(document)
        entries.append(entry)
    SearchDocument.objects.bulk_create(documents)
    search.write(entries)
    return len(documents)


def _index_changed() -> None:
    """Cached search answers (`search.selectors`) end when the write commits."""
    transaction.on_commit(page_cache.invalidate_all)


@transaction.atomic
def search_document_update(*, page: Page) -> None:
    """Index the published version of `page`, or forget it when readers may not see it.

    `page` is the specific page; one of a type no app registered is only forgotten.
    """
    search_document_delete(page=page)
    registered = indexed_type_of(page)
    if registered is None:
        return
    if not visible_to_public(registered.model.objects.filter(pk=page.pk)).exists():
        return
    _index(registered.kind, [(page, registered.describe(page))])


@transaction.atomic
def search_document_delete(*, page: Page) -> None:
    SearchDocument.objects.filter(page_id=page.pk).delete()
    backend().remove([page.pk])
    _index_changed()


def search_documents_update_under(*, page: Page) -> None:
    """Index or forget every registered page at or below `page` after its privacy changed."""
    for registered in indexed_types():
        for below in registered.model.objects.descendant_of(page, inclusive=True):
            search_document_update(page=below)


def search_documents_update_author(*, blog: BlogPage) -> int:
    """Credit the articles in `blog` to its expert (after the blog changed hands)."""
    _index_changed()
    return SearchDocument.objects.filter(
        page__path__startswith=blog.path, page__depth=blog.depth + 1
    ).update(expert_id=blog.expert_id)


def _public_for_rebuild(registered: IndexedType) -> PageQuerySet:
    """The type's public pages, with the view restrictions read once.

    The same pages as `visible_to_public`; but its correlated subquery makes
    SQLite read every page's path for each page (600 ms per batch of 500 at
    10,000 articles, quadratic in the archive), and a rebuild reads them all.
    """
    restricted = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        restricted |= Q(path__startswith=path)
    pages: PageQuerySet = registered.model.objects.live()
    return pages.exclude(restricted) if restricted else pages


def _public_in_batches(registered: IndexedType) -> Iterator[list[tuple[Any, IndexedText]]]:
    last_pk = 0
    pages_of_type = _public_for_rebuild(registered)
    if registered.fields:
        pages_of_type = pages_of_type.only(*registered.fields)
    while True:
        pages = list(pages_of_type.filter(pk__gt=last_pk).order_by("pk")[:REBUILD_BATCH_SIZE])
        if not pages:
            return
        yield list(zip(pages, registered.describe_all(pages), strict=True))
        last_pk = pages[-1].pk


@transaction.atomic
def search_index_rebuild() -> int:
    """Index every public page of every registered type from scratch; returns how many."""
    SearchDocument.objects.all().delete()
    backend().clear()
    _index_changed()
    cache = TermCache()
    indexed = 0
    with backend().rebuilding():
        for registered in indexed_types():
            for batch in _public_in_batches(registered):
                indexed += _index(registered.kind, batch, cache)
    return indexed
