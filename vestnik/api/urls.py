"""/api/v1/ (the JSON API, `v1.py`) and /oai/ (OAI-PMH 2.0, `oai.py`); neither has a language prefix."""

from django.urls import path

from vestnik.api import oai
from vestnik.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("oai/", oai.endpoint, name="oai"),
]
