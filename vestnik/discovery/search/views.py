"""/search/: read the query string, ask `search_articles`, render.

The query string (kept stable, see docs/search.md): `q` the words, `author`,
`country`, `topic` slugs and `year` the filters, `sort=date`, `page`, and
`lang=all` to search every language instead of the page's own (/search/ finds
Russian articles, /en/search/ English ones).

Whatever arrives in the query string gives an ordinary page: values that do not
parse are ignored, the query is cut by the selector. The page is not a Wagtail
page and does not opt into the anonymous page cache; its content is a fragment
per query string, kept until the next publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from vestnik.core.fragments import cached_fragment
from vestnik.core.locales import content_language
from vestnik.discovery.search.queries import FACET_WINDOW
from vestnik.discovery.search.selectors import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    MAX_RANKED_RESULTS,
    RESULTS_PER_PAGE,
    FacetValue,
    SearchFilters,
    SearchResults,
    Sort,
    query_text,
    search_articles,
)

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,150}")
_NUMBER = re.compile(r"[0-9]{1,6}")
# Enough for any query the selector keeps; the rest is never looked at.
_RAW_QUERY_LENGTH = 1000
# `lang=ALL_LANGUAGES`: search every language; any other value means the page's own.
ALL_LANGUAGES = "all"


@dataclass(frozen=True)
class FacetLink:
    value: FacetValue
    url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: Any
    links: list[FacetLink]


def _slug(params: QueryDict, name: str) -> str:
    value = params.get(name, "")
    return value if _SLUG.fullmatch(value) else ""


def _number(params: QueryDict, name: str) -> int | None:
    value = params.get(name, "")
    return int(value) if _NUMBER.fullmatch(value) else None


def _url(results: SearchResults, **changes: Any) -> str:
    """This search with some parameters changed; a new filter or sort starts at page 1."""
    filters = results.filters
    params: dict[str, Any] = {
        "q": results.query.text,
        "author": filters.author,
        "country": filters.country,
        "topic": filters.topic,
        "year": filters.year,
        "sort": results.sort.value if results.sort is not Sort.RELEVANCE else "",
        "lang": ALL_LANGUAGES if results.language is None else "",
        "page": None,
    }
    params.update(changes)
    if params["page"] == 1:
        params["page"] = None
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _facet_groups(results: SearchResults) -> list[FacetGroup]:
    facets = results.facets
    groups = [
        ("author", _("Author"), facets.authors),
        ("country", _("Country"), facets.countries),
        ("topic", _("Topic"), facets.topics),
        ("year", _("Year"), facets.years),
    ]
    return [
        FacetGroup(
            name,
            label,
            [
                FacetLink(value, _url(results, **{name: "" if value.selected else value.key}))
                for value in values
            ],
        )
        for name, label, values in groups
        if values
    ]


def _content(request: HttpRequest) -> str:
    params = request.GET
    sort = Sort.DATE if params.get("sort") == Sort.DATE.value else Sort.RELEVANCE
    results = search_articles(
        query=params.get("q", "")[:_RAW_QUERY_LENGTH],
        language=None if params.get("lang") == ALL_LANGUAGES else content_language(),
        filters=SearchFilters(
            author=_slug(params, "author"),
            country=_slug(params, "country"),
            topic=_slug(params, "topic"),
            year=_number(params, "year"),
        ),
        sort=sort,
        page=_number(params, "page") or 1,
    )
    context = {
        "results": results,
        "facet_groups": _facet_groups(results),
        "date_url": _url(results, sort=Sort.DATE.value),
        "sort_links": [
            (Sort.RELEVANCE, _("relevance"), _url(results, sort="")),
            (Sort.DATE, _("date"), _url(results, sort=Sort.DATE.value)),
        ],
        "previous_url": _url(results, page=results.page - 1) if results.has_previous else "",
        "next_url": _url(results, page=results.page + 1) if results.has_next else "",
        "first_number": (results.page - 1) * RESULTS_PER_PAGE + 1,
        "max_query_length": MAX_QUERY_LENGTH,
        "max_query_terms": MAX_QUERY_TERMS,
        "max_ranked_results": MAX_RANKED_RESULTS,
        "facet_window": FACET_WINDOW,
        "all_languages": ALL_LANGUAGES,
    }
    return render_to_string("components/search_content.html", context, request=request)


@require_safe
def search(request: HttpRequest) -> TemplateResponse:
    # The results, facets and links are the same for every reader of this URL
    # until something is published: one fragment per query string and content
    # generation (`core.fragments`), read instead of searched and rendered again.
    # VESTNIK_SEARCH_CACHE_SECONDS = 0 turns off every cached search answer, this one too.
    if settings.VESTNIK_SEARCH_CACHE_SECONDS > 0:
        content = cached_fragment(
            "search-content",
            [request.get_full_path()],
            lambda: _content(request),
            request=request,
            any_query=True,
        )
    else:
        content = mark_safe(_content(request))  # noqa: S308 (rendered by our template)
    title_query = query_text(request.GET.get("q", "")[:_RAW_QUERY_LENGTH])
    return TemplateResponse(
        request, "pages/discovery/search.html", {"content": content, "query_text": title_query}
    )
