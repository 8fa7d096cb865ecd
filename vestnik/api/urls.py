"""/api/v1/ (the JSON API, `v1.py`) and /oai/ (OAI-PMH 2.0, `oai.py`), without a language prefix.

Every API URL is wrapped by `api.http` (validators, caching, CORS, HEAD, OPTIONS).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path

from vestnik.api import oai
from vestnik.api.errors import error_response
from vestnik.api.http import http_wrapped, urls_wrapped
from vestnik.api.v1 import api


def _unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response("not_found", "No such endpoint.", 404)


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("api/v1/", include((urls_wrapped(_patterns), _app_name), namespace=_namespace)),
    re_path(r"^api/v1/(?P<rest>.*)$", http_wrapped(_unknown)),
    path("oai/", oai.endpoint, name="oai"),
]
