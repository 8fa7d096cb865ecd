"""The not-found page, which first looks for the address of an untranslated page.

Until content had two languages, every Russian page also answered under /en/
with its Russian text, and `hreflang` pointed search engines there. Those
addresses are in bookmarks and search indexes: where the page still exists in
Russian and has no English version, /en/<path> sends the reader to it instead of
a dead end (or to its English translation, if it has one under another slug).
Only a reader's GET: nothing else is ever redirected.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.views import defaults

from wagtail.models import Page

from vestnik.core.locales import content_language, in_language, language_of
from vestnik.core.selectors import visible_to_public


def _untranslated_page(request: HttpRequest) -> tuple[Page, str] | None:
    """The first-language page this /en/ path names, and what follows its URL (`print/`)."""
    language = content_language()
    prefix = f"/{language}/"
    if language == settings.LANGUAGE_CODE or not request.path.startswith(prefix):
        return None
    path = request.path[len(prefix) - 1 :]
    # Wagtail remembers the failed route on the request; ask again in the first language.
    request.__dict__.pop("_wagtail_route_for_request", None)
    with translation.override(settings.LANGUAGE_CODE):
        page = Page.find_for_request(request, path)
        page_url = page.get_url(request=request) if page is not None else None
    request.__dict__.pop("_wagtail_route_for_request", None)
    if page is None or not page_url or not path.startswith(page_url):
        return None
    if not visible_to_public(Page.objects.filter(pk=page.pk)).exists():
        return None
    return page, path[len(page_url) :]


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    found = _untranslated_page(request) if request.method in ("GET", "HEAD") else None
    if found is not None:
        page, sub_route = found
        # Translated since, under another slug: the translation; else the Russian page.
        translation_page = visible_to_public(
            in_language(Page.objects.filter(translation_key=page.translation_key))
        ).first()
        target = translation_page or page
        with translation.override(language_of(target.locale_id)):
            url = target.get_url(request=request)
        if url:
            return HttpResponseRedirect(url + sub_route)
    return defaults.page_not_found(request, exception)
