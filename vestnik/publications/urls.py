"""/publications/<id>/…: the counted PDF download and citation files (`views`).

Included before Wagtail's routes; every other path under /publications/
falls through to the library's pages.
"""

from django.urls import URLPattern, path

from vestnik.publications import views

app_name = "publications"
# «citation.bib», not the article's «cite.bib»: discovery's URLconf, included
# earlier, hands any «<slugs>/cite.bib» to Wagtail's page routes.
urlpatterns: list[URLPattern] = [
    path("<int:publication_id>/download/", views.download, name="download"),
    path("<int:publication_id>/citation.<str:extension>", views.citation_file, name="cite"),
]
