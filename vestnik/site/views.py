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


def _untranslated_page(request: HttpRequest) -> Page | None:
    language = content_language()
    prefix = f"/{language}/"
    if language == settings.LANGUAGE_CODE or not request.path.startswith(prefix):
        return None
    # Wagtail remembers the failed route on the request; ask again in the first language.
    request.__dict__.pop("_wagtail_route_for_request", None)
    with translation.override(settings.LANGUAGE_CODE):
        page = Page.find_for_request(request, request.path[len(prefix) - 1 :])
    request.__dict__.pop("_wagtail_route_for_request", None)
    if page is None or not visible_to_public(Page.objects.filter(pk=page.pk)).exists():
        return None
    return page


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        page = _untranslated_page(request)
        if page is not None:
            # Translated since, under another slug: the translation; else the Russian page.
            translation_page = visible_to_public(
                in_language(Page.objects.filter(translation_key=page.translation_key))
            ).first()
            target = translation_page or page
            with translation.override(language_of(target.locale_id)):
                url = target.get_url(request=request)
            if url:
                return HttpResponseRedirect(url)
    return defaults.page_not_found(request, exception)
