"""/articles/: the public articles, filtered and searched; one article in full."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from ninja import Query, Router, Schema

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.template.context import make_context
from django.utils.http import urlencode

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.api.cursors import cursor_decode, cursor_encode
from vestnik.api.errors import ApiError
from vestnik.api.selectors import ArticleFilters, filtered_articles, ranked_article_ids
from vestnik.articles.citations.records import citation_record_for
from vestnik.articles.citations.references import note_text, reference_list
from vestnik.articles.citations.styles import (
    apa_citation,
    chicago_citation,
    gost_citation,
    plain_text,
    styles_for,
)
from vestnik.articles.models import AnalysisIndexPage, ArticlePage
from vestnik.articles.selectors import public_articles, with_bylines
from vestnik.core import front_cache
from vestnik.insights.cache_keys import entity_key
from vestnik.insights.models import Entity
from vestnik.insights.selectors import page_insights

router = Router(tags=["articles"])

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_ID = 2**63 - 1


class ArticleQuery(Schema):
    expert: str = ""
    section: str = ""
    country: str = ""
    region: str = ""
    topic: str = ""
    entity: str = ""
    language: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""
    limit: int = DEFAULT_LIMIT
    cursor: str = ""


def _sections(articles: list[ArticlePage]) -> dict[str, AnalysisIndexPage]:
    parents = {a.path[: -ArticlePage.steplen] for a in articles if a.listing_blog is None}  # type: ignore[attr-defined]
    if not parents:
        return {}
    return {s.path: s for s in AnalysisIndexPage.objects.filter(path__in=parents)}


def summaries(request: HttpRequest, articles: list[ArticlePage]) -> list[dict[str, Any]]:
    """Articles as list items, in a bounded number of queries whatever their number."""
    articles = with_bylines(articles)
    prefetch_related_objects(articles, "countries", "regions", "topics")
    sections = _sections(articles)
    return [
        show.article_summary(request, a, sections.get(a.path[: -ArticlePage.steplen]))
        for a in articles
    ]


@router.get(
    "/",
    response={200: schemas.ArticleList, 400: schemas.Error},
    url_name="articles",
    summary="Public articles, newest first (or by relevance with q)",
)
def article_list(request: HttpRequest, params: Query[ArticleQuery]) -> dict[str, Any]:
    if not 1 <= params.limit <= MAX_LIMIT:
        raise ApiError("invalid", f"limit must be between 1 and {MAX_LIMIT}.")
    if params.language not in ("", "ru", "en"):
        raise ApiError("invalid", "language must be ru or en.")
    filters = ArticleFilters(
        **{name: getattr(params, name) for name in ArticleFilters.__dataclass_fields__}
    )
    # A cursor is valid only for the query it was made for.
    kind = "articles:" + hashlib.sha256(repr(filters).encode()).hexdigest()[:16]
    position = cursor_decode(params.cursor, kind=kind)
    articles = filtered_articles(filters)
    front_cache.depends_on(front_cache.ALL_LISTS)
    if filters.q:
        ranked = ranked_article_ids(filters.q, language=filters.language or None)
        offset = int(position["o"]) if position else 0
        window = ranked[offset : offset + params.limit + 1]
        found = articles.filter(pk__in=window).in_bulk()
        chosen = [found[pk] for pk in window if pk in found]
        more = offset + params.limit < len(ranked)
        page = chosen[: params.limit]
        next_position = {"k": kind, "o": offset + params.limit} if more else None
    else:
        if position:
            date = datetime.date.fromisoformat(position["d"])
            articles = articles.filter(publication_date__lt=date) | articles.filter(
                publication_date=date, pk__lt=position["id"]
            )
        rows = list(articles[: params.limit + 1])
        page = rows[: params.limit]
        last = page[-1] if page else None
        next_position = (
            {"k": kind, "d": last.publication_date.isoformat(), "id": last.pk}
            if len(rows) > params.limit and last is not None
            else None
        )
    next_url = None
    if next_position is not None:
        query: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "cursor"}
        query["cursor"] = cursor_encode(next_position)
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return {"results": summaries(request, page), "next": next_url}


def _public_article(article_id: int) -> ArticlePage:
    if not 0 < article_id <= MAX_ID:
        raise Http404
    article: ArticlePage | None = public_articles(any_language=True).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def _body_html(request: HttpRequest, article: ArticlePage, index: Any) -> str:
    context = make_context({"page": article, "footnote_index": index}, request)
    return "".join(str(block.render(context=context.flatten())) for block in article.body)


def _citations(request: HttpRequest, article: ArticlePage) -> list[dict[str, str]]:
    record = citation_record_for(article, request)
    writers = {
        "gost": lambda: gost_citation(record),
        "apa": lambda: apa_citation(record),
        "chicago": lambda: chicago_citation(record),
    }
    citations = []
    for style in styles_for(record.language):
        html = str(writers[style]())
        citations.append({"style": style, "html": html, "text": plain_text(html)})
    return citations


@router.get(
    "/{int:article_id}/",
    response={200: schemas.ArticleDetail, 404: schemas.Error},
    url_name="article",
    summary="One public article in full",
)
def article_detail(request: HttpRequest, article_id: int) -> dict[str, Any]:
    article = _public_article(article_id)
    data = summaries(request, [article])[0]
    index = article.footnote_index()
    body_html = _body_html(request, article, index)
    notes = [
        {"number": note.number, "key": note.key, "html": show.expand_db_html(note.html)}
        for note in index.notes
    ]
    references = [
        {
            **{
                name: getattr(ref, name)
                for name in schemas.Reference.model_fields
                if name != "authors"
            },
            "authors": [person.full_name for person in ref.authors],
        }
        for ref in reference_list(note_text(note.html) for note in index.notes)
    ]
    insights = page_insights(article)
    mentions = [row for group in insights.groups for row in group.mentions]
    entity_ids = Entity.objects.filter(slug__in=[row.slug for row in mentions]).values_list(
        "pk", flat=True
    )
    front_cache.depends_on(*(entity_key(pk) for pk in entity_ids))
    translations = (
        public_articles(any_language=True)
        .filter(translation_key=article.translation_key)
        .exclude(pk=article.pk)
        .order_by("pk")
    )
    base = article.get_url(request) or ""
    files = ["cite.bib", "cite.ris", "cite.json", "pdf/"]
    if references:
        files += ["references.bib", "references.ris"]
    return {
        **data,
        "body": [
            {
                "type": block.block_type,
                "id": block.id,
                "value": show.block_value(block.block, block.value),
            }
            for block in article.body
        ],
        "body_html": body_html,
        "footnotes": notes,
        "references": references,
        "entities": [
            {
                "slug": row.slug,
                "name": row.name,
                "kind": row.kind,
                "count": row.count,
                "api_url": show.api_url(request, "entity", row.slug),
            }
            for row in mentions
        ],
        "timeline": [{"date": event.iso, "text": event.text} for event in insights.timeline],
        "figures": [
            {"display": f.display, "label": f.label, "year": f.year, "sentence": f.sentence}
            for f in insights.figures
        ],
        "translations": [
            {
                "id": other.pk,
                "language": show.language_of(other.locale_id),
                "api_url": show.api_url(request, "article", other.pk),
                "url": show.page_url(request, other),
            }
            for other in translations
        ],
        "citations": _citations(request, article),
        "citation_files": [
            {"format": name.rstrip("/"), "url": show.absolute(request, f"{base}{name}") or ""}
            for name in files
        ],
    }
