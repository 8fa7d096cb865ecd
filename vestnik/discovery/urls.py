"""Country, region and topic pages, their feeds, and the site-wide feeds.

Included inside `i18n_patterns`: Russian at /countries/kz/, English at /en/countries/kz/.
"""

from functools import partial

from django.urls import URLPattern, URLResolver, path, re_path

from vestnik.articles.citations.views import PAGE_FILE_PATTERN, serve_page_file
from vestnik.discovery import views

app_name = "discovery"


urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/articles.rss", views.articles_feed, name="articles_rss"),
    path("feeds/articles.atom", partial(views.articles_feed, atom=True), name="articles_atom"),
    re_path(r"^(?P<kind>countries|regions|topics)/$", views.term_index, name="term_index"),
    re_path(
        r"^(?P<kind>countries|regions|topics)/(?P<slug>[-\w]+)/$", views.term_page, name="term"
    ),
    re_path(
        r"^(?P<kind>countries|regions|topics)/(?P<slug>[-\w]+)/feed/$",
        views.term_feed,
        name="term_feed",
    ),
    re_path(
        r"^(?P<kind>countries|regions|topics)/(?P<slug>[-\w]+)/feed/atom/$",
        partial(views.term_feed, atom=True),
        name="term_feed_atom",
    ),
    # «<blog>/feed/»: an expert's blog as a feed (after the term feeds above).
    re_path(r"^(?P<page_path>(?:[-\w]+/)+)feed/$", views.blog_feed, name="blog_feed"),
    re_path(
        r"^(?P<page_path>(?:[-\w]+/)+)feed/atom/$",
        partial(views.blog_feed, atom=True),
        name="blog_feed_atom",
    ),
    # «…/article/cite.bib»: Wagtail serves only paths of slash-ended slugs, so files
    # that an article offers at its own URL are routed to the page from here.
    re_path(PAGE_FILE_PATTERN, serve_page_file, name="page_file"),
]
