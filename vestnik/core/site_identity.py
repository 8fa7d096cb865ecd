"""Who this site is: its name and root URL, for feeds, citations, metadata and PDFs.

The Wagtail `Site` serving the request answers; without a request (a task, a
command) the default site does, and the settings' `WAGTAIL_SITE_NAME` last.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wagtail.models import Site

from vestnik.core.locales import content_language
from vestnik.core.text import latin_name


def _site(request: HttpRequest | None) -> Site | None:
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site


def site_name(request: HttpRequest | None) -> str:
    """The site's name in the reader's language: «Вестник», or its English name under /en/."""
    if content_language() == "en":
        return english_site_name()
    site = _site(request)
    return (site.site_name if site is not None else "") or settings.WAGTAIL_SITE_NAME


def english_site_name() -> str:
    """`VESTNIK_SITE_NAME_EN`, else the Russian name in Latin letters («Vestnik»)."""
    return settings.VESTNIK_SITE_NAME_EN or latin_name(settings.WAGTAIL_SITE_NAME)


def site_root_url(request: HttpRequest | None) -> str:
    """«https://example.org», without a trailing slash."""
    site = _site(request)
    if site is not None:
        return str(site.root_url)
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(request: HttpRequest | None, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_root_url(request)}{path}"
