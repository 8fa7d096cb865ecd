"""Admin URLs of the importers, mounted under /admin/import/ by `wagtail_hooks`."""

from __future__ import annotations

from django.urls import path

from vestnik.importers import views

app_name = "vestnik_importers"

urlpatterns = [
    path("", views.import_view, name="import"),
]
