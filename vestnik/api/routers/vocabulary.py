"""/countries/, /regions/, /topics/: the controlled vocabulary articles are tagged with."""

from __future__ import annotations

from typing import Any

from ninja import Router

from django.http import HttpRequest

from vestnik.api import representations as show
from vestnik.api import schemas
from vestnik.core import front_cache
from vestnik.vocabulary.cache_keys import TERM_INDEXES
from vestnik.vocabulary.models import Country, Region, Topic, VocabularyTerm

router = Router(tags=["vocabulary"])


def _terms(request: HttpRequest, model: type[VocabularyTerm]) -> dict[str, Any]:
    front_cache.depends_on(TERM_INDEXES)
    return {"results": [show.term(request, t) for t in model.objects.order_by("name_ru", "pk")]}


@router.get("/countries/", response=schemas.TermList, url_name="countries")
def countries(request: HttpRequest) -> dict[str, Any]:
    return _terms(request, Country)


@router.get("/regions/", response=schemas.TermList, url_name="regions")
def regions(request: HttpRequest) -> dict[str, Any]:
    return _terms(request, Region)


@router.get("/topics/", response=schemas.TermList, url_name="topics")
def topics(request: HttpRequest) -> dict[str, Any]:
    return _terms(request, Topic)
