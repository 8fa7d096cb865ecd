"""The public JSON API, version 1 (django-ninja): what an anonymous reader may read, as data.

docs/api.md describes every endpoint with curl examples. Caching, validators and
CORS are added around every URL in `api.http`; the error shape in `api.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from vestnik.api.errors import exception_handlers_register
from vestnik.api.routers import articles, entities, library, people, polls, vocabulary


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Cyrillic as UTF-8, not \\u escapes: readable in curl, a third smaller."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Vestnik API",
    version="1",
    description="Public read API of Vestnik: articles, experts, publications, events, "
    'entities, vocabulary and polls. Errors: {"error": {"code", "message"}}.',
    urls_namespace="api-v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
exception_handlers_register(api)
api.add_router("/articles/", articles.router)
api.add_router("/experts/", people.router)
api.add_router("/entities/", entities.router)
api.add_router("/polls/", polls.router)
api.add_router("/", library.router)
api.add_router("/", vocabulary.router)
