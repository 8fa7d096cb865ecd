from django.urls import URLPattern, URLResolver, path

from vestnik.discovery.search import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search, name="search"),
]
