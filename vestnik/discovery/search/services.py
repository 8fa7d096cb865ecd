"""Writes to the search index: one public article, one `SearchDocument` and its terms.

The index holds only what an anonymous reader may see
(`articles.selectors.public_articles`): publishing indexes an article,
unpublishing, deleting or restricting it (a password, a login, on it or on its
blog) removes it, lifting the restriction indexes it again (see
`discovery.signal_handlers`); `search_index_rebuild` starts over from the
public pages (`manage.py search_reindex`). Each write is one transaction, so the
document row and the backend's full-text entry never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.db.models import Q

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from vestnik.articles.models import ArticleFootnote, ArticlePage, BlogPage
from vestnik.articles.selectors import public_articles
from vestnik.core import page_cache
from vestnik.discovery.models import SearchDocument
from vestnik.discovery.search.backends import IndexEntry, backend
from vestnik.discovery.search.documents import article_document
from vestnik.discovery.search.lemmas import TermCache

REBUILD_BATCH_SIZE = 500


def _blog_expert_id(page: ArticlePage) -> int | None:
    parent_path = page.path[: -ArticlePage.steplen]
    return BlogPage.objects.filter(path=parent_path).values_list("expert_id", flat=True).first()


def _tags(page_ids: list[int]) -> dict[str, dict[int, list[int]]]:
    """{"countries" | "topics" | "co_authors": {page id: [tag ids]}} for `page_ids`."""
    tags: dict[str, dict[int, list[int]]] = {}
    for name, column in (("countries", "country_id"), ("topics", "topic_id"),
                         ("co_authors", "expert_id")):  # fmt: skip
        through = getattr(ArticlePage, name).through
        by_page: dict[int, list[int]] = defaultdict(list)
        for page_id, tag_id in through.objects.filter(articlepage_id__in=page_ids).values_list(
            "articlepage_id", column
        ):
            by_page[page_id].append(tag_id)
        tags[name] = by_page
    return tags


def _index(
    pages_and_notes: Sequence[tuple[ArticlePage, list[str] | None]],
    experts: dict[str, int],
    cache: TermCache | None = None,
) -> int:
    search = backend()
    documents: list[SearchDocument] = []
    entries: list[IndexEntry] = []
    tags = _tags([page.pk for page, _notes in pages_and_notes])
    for page, notes in pages_and_notes:
        article = article_document(page, footnotes=notes, cache=cache)
        entry = IndexEntry(page.pk, article.title_terms, article.body_terms)
        document = SearchDocument(
            page_id=page.pk,
            language=page.language,
            text=article.text,
            publication_date=page.publication_date,
            expert_id=experts.get(page.path[: -ArticlePage.steplen]),
            countries=sorted(tags["countries"].get(page.pk, [])),
            topics=sorted(tags["topics"].get(page.pk, [])),
            co_authors=sorted(tags["co_authors"].get(page.pk, [])),
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
def search_document_update(*, page: ArticlePage) -> None:
    """Index the published version of `page`, or forget it when readers may not see it."""
    search_document_delete(page=page)
    if not public_articles(any_language=True).filter(pk=page.pk).exists():
        return
    expert_id = _blog_expert_id(page)
    experts = {page.path[: -ArticlePage.steplen]: expert_id} if expert_id is not None else {}
    _index([(page, None)], experts)


@transaction.atomic
def search_document_delete(*, page: ArticlePage) -> None:
    SearchDocument.objects.filter(page_id=page.pk).delete()
    backend().remove([page.pk])
    _index_changed()


def search_documents_update_under(*, page: Page) -> None:
    """Index or forget every article at or below `page` after its privacy changed."""
    for article in ArticlePage.objects.descendant_of(page, inclusive=True):
        search_document_update(page=article)


def search_documents_update_author(*, blog: BlogPage) -> int:
    """Credit the articles in `blog` to its expert (after the blog changed hands)."""
    _index_changed()
    return SearchDocument.objects.filter(
        page__path__startswith=blog.path, page__depth=blog.depth + 1
    ).update(expert_id=blog.expert_id)


def _public_articles_for_rebuild() -> PageQuerySet:
    """`public_articles()` with the view restrictions read once.

    The same pages; but `visible_to_public`'s correlated subquery makes SQLite
    read every page's path for each article (600 ms per batch of 500 at
    10,000 articles, quadratic in the archive), and a rebuild reads them all.
    """
    restricted = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        restricted |= Q(path__startswith=path)
    articles = ArticlePage.objects.live()
    return articles.exclude(restricted) if restricted else articles


def _live_articles_in_batches() -> Iterator[list[tuple[ArticlePage, list[str]]]]:
    last_pk = 0
    articles = _public_articles_for_rebuild()
    while True:
        pages = list(
            articles.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "path", "title", "lead", "body", "locale_id", "publication_date", "live")[
                :REBUILD_BATCH_SIZE
            ]
        )
        if not pages:
            return
        notes: dict[int, list[str]] = defaultdict(list)
        for page_id, text in (
            ArticleFootnote.objects.filter(page__in=pages)
            .order_by("page_id", "sort_order", "pk")
            .values_list("page_id", "text")
        ):
            notes[page_id].append(text)
        yield [(page, notes[page.pk]) for page in pages]
        last_pk = pages[-1].pk


@transaction.atomic
def search_index_rebuild() -> int:
    """Index every public article from scratch; returns how many were indexed."""
    SearchDocument.objects.all().delete()
    backend().clear()
    _index_changed()
    experts = dict(BlogPage.objects.values_list("path", "expert_id"))
    cache = TermCache()
    with backend().rebuilding():
        return sum(_index(batch, experts, cache) for batch in _live_articles_in_batches())
