"""The public JSON API, version 1 (django-ninja): what an anonymous reader may read, as data.

docs/api.md describes every endpoint with curl examples.
"""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Vestnik API",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
