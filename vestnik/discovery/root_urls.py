"""Outside the language prefix: sitemap.xml and robots.txt."""

from django.urls import URLPattern, URLResolver, path

from vestnik.discovery import views
from vestnik.discovery.sitemaps import sitemap_xml

urlpatterns: list[URLPattern | URLResolver] = [
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
