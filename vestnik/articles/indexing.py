"""An article as search and insights read it (`core.indexing`), registered in `apps.py`.

Its words are `articles.text`'s, footnotes apart (search finds a cited source;
insights leaves the bibliography alone); its authors are the blog's expert, then
the co-authors; its tags are as published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vestnik.articles.models import ArticleFootnote, ArticlePage, BlogPage
from vestnik.articles.selectors import with_bylines
from vestnik.articles.text import article_parts
from vestnik.core.indexing import IndexedPart, IndexedText, indexed_page_register

KIND = "article"
# What a rebuild loads of each article: its text and the facts above, not its revisions.
FIELDS = ("pk", "path", "title", "lead", "body", "locale_id", "publication_date", "live")
_TAGS = (("countries", "country_id"), ("regions", "region_id"), ("topics", "topic_id"),
         ("co_authors", "expert_id"))  # fmt: skip


def _tags(page_ids: list[int]) -> dict[str, dict[int, list[int]]]:
    """{"countries" | "regions" | "topics" | "co_authors": {page id: [sorted ids]}}.

    One query per kind of tag, however many pages.
    """
    tags: dict[str, dict[int, list[int]]] = {}
    for name, column in _TAGS:
        through = getattr(ArticlePage, name).through
        by_page: dict[int, list[int]] = defaultdict(list)
        for page_id, tag_id in (
            through.objects.filter(articlepage_id__in=page_ids)
            .order_by(column)
            .values_list("articlepage_id", column)
        ):
            by_page[page_id].append(tag_id)
        tags[name] = by_page
    return tags


def _described(
    page: ArticlePage,
    notes: list[str],
    expert_id: int | None,
    tags: dict[str, dict[int, list[int]]],
) -> IndexedText:
    co_authors = [pk for pk in tags["co_authors"].get(page.pk, []) if pk != expert_id]
    parts = article_parts(page, footnotes=notes)
    return IndexedText(
        title=page.title,
        language=page.language,
        date=page.publication_date,
        parts=tuple(
            IndexedPart(part.kind, part.text)  # type: ignore[arg-type] # footnotes are apart
            for part in parts
            if part.kind != "footnote"
        ),
        # As `articles.text` reads them: plain text, empty notes dropped.
        notes=tuple(part.text for part in parts if part.kind == "footnote"),
        authors=tuple([expert_id] if expert_id is not None else []) + tuple(co_authors),
        countries=tuple(tags["countries"].get(page.pk, [])),
        regions=tuple(tags["regions"].get(page.pk, [])),
        topics=tuple(tags["topics"].get(page.pk, [])),
    )


def describe_articles(pages: Sequence[ArticlePage]) -> list[IndexedText]:
    """Every page's text, in a fixed number of queries however many pages there are."""
    page_ids = [page.pk for page in pages]
    notes: dict[int, list[str]] = defaultdict(list)
    for page_id, text in (
        ArticleFootnote.objects.filter(page_id__in=page_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "text")
    ):
        notes[page_id].append(text)
    parent_paths = {page.path[: -ArticlePage.steplen] for page in pages}
    experts = dict(BlogPage.objects.filter(path__in=parent_paths).values_list("path", "expert_id"))
    tags = _tags(page_ids)
    return [
        _described(page, notes[page.pk], experts.get(page.path[: -ArticlePage.steplen]), tags)
        for page in pages
    ]


def describe_article(page: ArticlePage) -> IndexedText:
    return describe_articles([page])[0]


def prepare_articles(articles: QuerySet[ArticlePage]) -> list[ArticlePage]:
    """Articles for a results list: their blog and co-authors read once for all."""
    return with_bylines(articles.defer("body").prefetch_related("co_authors"))


def register() -> None:
    indexed_page_register(
        ArticlePage,
        kind=KIND,
        label=_("Article"),
        describe=describe_article,
        describe_many=describe_articles,
        prepare=prepare_articles,
        fields=FIELDS,
    )
