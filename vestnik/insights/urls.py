"""Entity pages, inside `i18n_patterns`: /entities/turtsiya/ and /en/entities/turtsiya/."""

from django.urls import URLPattern, path

from vestnik.insights import views

app_name = "insights"

urlpatterns: list[URLPattern] = [
    path("", views.entity_index, name="entity_index"),
    path("<slug:slug>/", views.entity_page, name="entity"),
]
