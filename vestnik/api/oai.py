"""OAI-PMH 2.0 at /oai/: the archive's articles and publications for scholarly harvesters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def endpoint(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
