"""/experts/: the institution's experts."""

from __future__ import annotations

from typing import Any

from ninja import Router

from django.http import Http404, HttpRequest
from django.urls import reverse

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.api.routers.offsets import cursor_page
from vestnik.authors.cache_keys import EXPERT_DIRECTORY
from vestnik.authors.models import Expert
from vestnik.core import front_cache

router = Router(tags=["experts"])


def _summary(request: HttpRequest, expert: Expert) -> dict[str, Any]:
    return {
        **show.person(request, expert),
        "position": expert.position,
        "position_en": expert.position_en,
        "affiliation": expert.affiliation,
        "affiliation_en": expert.affiliation_en,
    }


@router.get("/", response={200: schemas.ExpertList, 400: schemas.Error}, url_name="experts")
def expert_list(request: HttpRequest, limit: int = 50, cursor: str = "") -> dict[str, Any]:
    front_cache.depends_on(EXPERT_DIRECTORY)
    experts, next_url = cursor_page(
        request,
        Expert.objects.order_by("full_name", "pk"),
        kind="experts",
        limit=limit,
        cursor=cursor,
    )
    return {"results": [_summary(request, e) for e in experts], "next": next_url}


@router.get("/{slug}/", response={200: schemas.ExpertDetail, 404: schemas.Error}, url_name="expert")
def expert_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    expert = Expert.objects.filter(slug=slug).prefetch_related("links").first()
    if expert is None:
        raise Http404
    articles = request.build_absolute_uri(reverse("api-v1:articles")) + f"?expert={expert.slug}"
    return {
        **_summary(request, expert),
        "bio": show.expand_db_html(expert.bio),
        "bio_en": show.expand_db_html(expert.bio_en),
        "links": [{"label": link.label, "url": link.url} for link in expert.links.all()],
        "articles_api_url": articles,
    }
