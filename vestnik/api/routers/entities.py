"""/entities/: people, organisations and places the articles mention (hidden ones never)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from django.db.models import Sum
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.api.routers.offsets import cursor_page
from vestnik.api.selectors import public_entities
from vestnik.core import front_cache
from vestnik.insights.cache_keys import ENTITY_INDEX, entity_key
from vestnik.insights.models import Entity
from vestnik.insights.selectors import (
    entities_with_articles,
    entity_materials,
    public_mentions,
    specific_materials,
)

router = Router(tags=["entities"])
MATERIALS = 50


def _summary(request: HttpRequest, entity: Entity, articles: int) -> dict[str, Any]:
    front_cache.depends_on(entity_key(entity.pk))
    with translation.override("ru"):
        url = reverse("insights:entity", args=[entity.slug])
    return {
        "slug": entity.slug,
        "name": entity.name,
        "short_name": entity.short_name,
        "kind": entity.kind,
        "api_url": show.api_url(request, "entity", entity.slug),
        "url": show.absolute(request, url) or "",
        "articles": articles,
    }


@router.get("/", response={200: schemas.EntityList, 400: schemas.Error}, url_name="entities")
def entity_list(request: HttpRequest, limit: int = 50, cursor: str = "") -> dict[str, Any]:
    front_cache.depends_on(ENTITY_INDEX)
    rows = [pair for pairs in entities_with_articles().values() for pair in pairs]
    rows.sort(key=lambda pair: (-pair[1], pair[0].name, pair[0].pk))
    page: list[tuple[Entity, int]]
    page, next_url = cursor_page(request, rows, kind="entities", limit=limit, cursor=cursor)
    return {"results": [_summary(request, e, n) for e, n in page], "next": next_url}


@router.get("/{slug}/", response={200: schemas.EntityDetail, 404: schemas.Error}, url_name="entity")
def entity_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    entity = public_entities().filter(slug=slug).first()
    if entity is None:
        raise Http404
    mentions = public_mentions().filter(entity=entity)
    total = mentions.aggregate(total=Sum("count"))["total"] or 0
    if not total:
        raise Http404
    materials = specific_materials(entity_materials(entity)[:MATERIALS])
    articles = mentions.values("page").distinct().count()
    items = []
    for page in materials:
        front_cache.depends_on(front_cache.page_key(page.pk))
        kind = getattr(page, "indexed_kind", "")
        name = {"article": "article", "publication": "publication", "event": "event"}.get(kind)
        items.append(
            {
                "id": page.pk,
                "kind": kind,
                "title": page.title,
                "language": page.indexed_language,  # type: ignore[attr-defined]
                "url": show.page_url(request, page),
                "api_url": show.api_url(request, name, page.pk) if name else None,
                "mentions": page.entity_mentions,  # type: ignore[attr-defined]
            }
        )
    return {**_summary(request, entity, articles), "mentions": total, "materials": items}
