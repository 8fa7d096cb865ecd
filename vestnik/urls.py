import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from vestnik.core import health, media

urlpatterns = [
    # Probes: no language prefix, never cached (vestnik/core/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("vestnik.discovery.root_urls")),  # sitemap.xml, robots.txt
    path("", include("vestnik.api.urls")),  # /api/v1/, /oai/
    # The view beacon: one URL for both languages (nginx answers it in production).
    path("readership/", include("vestnik.readership.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.VESTNIK_CORE_SERVE_MEDIA:
    # The embedded install serves uploads itself; in production nginx or object storage does.
    # Never documents: they leave only through Wagtail's document view (core/media.py).
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", media.serve_media)
    ]

# Russian at the root, English under /en/: the language is part of the URL, so
# every page is one cacheable document per language.
urlpatterns += i18n_patterns(
    path("polls/", include("vestnik.polls.urls")),
    path("search/", include("vestnik.discovery.search.urls")),
    path("", include("vestnik.discovery.urls")),  # country, region and topic pages, feeds
    path("entities/", include("vestnik.insights.urls")),
    # Downloads, registrations and calendars; what these don't match falls through
    # to the publications' and events' pages below.
    path("publications/", include("vestnik.publications.urls")),
    path("events/", include("vestnik.events.urls")),
    path("newsletters/", include("vestnik.newsletters.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# /en/<path> of a page that exists only in Russian leads to it (vestnik/site/views.py).
handler404 = "vestnik.site.views.page_not_found"
