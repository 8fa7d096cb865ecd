"""Shared reads of publications: the public ones, the library's filters, a page's context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy

from wagtail.models import Page
from wagtail.query import PageQuerySet

from vestnik.articles.citations.records import CitationRecord
from vestnik.articles.citations.styles import (
    apa_citation,
    chicago_citation,
    gost_citation,
    styles_for,
)
from vestnik.authors.cache_keys import expert_key
from vestnik.authors.models import Expert
from vestnik.core import fragments, front_cache, page_cache
from vestnik.core.locales import in_language, language_of
from vestnik.core.selectors import visible_to_public
from vestnik.publications.cache_keys import PUBLICATION_FILTERS, series_key
from vestnik.publications.citations import download_path, highwire_tags, publication_record
from vestnik.publications.forms import PublicationFilterForm
from vestnik.publications.models import (
    PublicationAuthor,
    PublicationIndexPage,
    PublicationPage,
    PublicationSeries,
)
from vestnik.vocabulary.cache_keys import term_key
from vestnik.vocabulary.models import Country, Topic

FILTER_NAMES = ("series", "year", "topic", "country", "author")

STYLE_LABELS = {
    "gost": gettext_lazy("GOST R 7.0.100-2018"),
    "apa": gettext_lazy("APA 7th edition"),
    "chicago": gettext_lazy("Chicago 18th edition (bibliography)"),
}


def citation_styles(record: CitationRecord) -> list[dict[str, Any]]:
    """«How to cite» in the styles of the page's language; GOST's access date is left to cite.js."""
    writers = {
        "gost": lambda: gost_citation(record, access_placeholder=True),
        "apa": lambda: apa_citation(record),
        "chicago": lambda: chicago_citation(record),
    }
    return [
        {
            "id": style,
            "label": STYLE_LABELS[style],
            "html": writers[style](),
            "lang": "ru" if style == "gost" else "",
        }
        for style in styles_for(record.language)
    ]


def citation_downloads(page: PublicationPage) -> list[dict[str, str]]:
    def href(extension: str) -> str:
        return reverse("publications:cite", args=[page.pk, extension])

    return [
        {"label": "BibTeX", "href": href("bib"), "type": "application/x-bibtex"},
        {"label": "RIS", "href": href("ris"), "type": "application/x-research-info-systems"},
        {
            "label": "CSL-JSON",
            "href": href("json"),
            "type": "application/vnd.citationstyles.csl+json",
        },
    ]


def public_publications(*, language: str | None = None) -> PageQuerySet:
    """Publications an anonymous reader may see, in the reader's language (or `language`)."""
    return visible_to_public(in_language(PublicationPage.objects.all(), language))


def with_authors(pages: Iterable[PublicationPage]) -> list[PublicationPage]:
    """The pages with their series and ordered authors (and their experts) in two queries."""
    pages = list(pages)
    if not pages:
        return pages
    listed = (
        PublicationPage.objects.filter(pk__in=[p.pk for p in pages])
        .select_related("series", "cover")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=PublicationAuthor.objects.select_related("expert").order_by("sort_order"),
            )
        )
        .in_bulk()
    )
    result = [listed[p.pk] for p in pages if p.pk in listed]
    # A translation keeps its source's series: name it in the page's language, in one query.
    keys = {p.series.translation_key for p in result}
    locales = {p.locale_id for p in result}
    translated = {
        (s.translation_key, s.locale_id): s
        for s in PublicationSeries.objects.filter(translation_key__in=keys, locale_id__in=locales)
    }
    for publication in result:
        series = translated.get(
            (publication.series.translation_key, publication.locale_id), publication.series
        )
        publication.listing_label = publication.label_with(series)  # type: ignore[attr-defined]
        publication.byline = ", ".join(  # type: ignore[attr-defined]
            author.name_in(publication.language) for author in publication.authors.all()
        )
    return result


def _filter_choices(publications: PageQuerySet) -> dict[str, list[tuple[Any, str]]]:
    """What each filter can choose: only values some public publication has."""
    ids = list(publications.values_list("pk", flat=True))
    years = sorted(set(publications.values_list("year", flat=True)), reverse=True)
    series = list(PublicationSeries.objects.filter(publications__pk__in=ids).distinct())
    # A translation keeps its source's series: named as the reader's language names it.
    named = {
        s.translation_key: s
        for s in in_language(
            PublicationSeries.objects.filter(
                translation_key__in=[s.translation_key for s in series]
            )
        )
    }
    topics = Topic.objects.filter(publications__pk__in=ids).distinct()
    countries = Country.objects.filter(publications__pk__in=ids).distinct()
    experts = Expert.objects.filter(publication_authorships__page_id__in=ids).distinct()
    return {
        "series": [(s.pk, named.get(s.translation_key, s).name) for s in series],
        "year": [(year, str(year)) for year in years],
        "topic": [(t.pk, t.name) for t in topics],
        "country": [(c.pk, c.name) for c in countries],
        "author": [(e.pk, e.display_name) for e in sorted(experts, key=lambda e: e.surname)],
    }


def filtered(publications: PageQuerySet, filters: dict[str, int]) -> PageQuerySet:
    if "series" in filters:
        # A translation keeps its source's series; a reader under /en/ may pick either.
        series = PublicationSeries.objects.filter(pk=filters["series"]).first()
        keys = [series.translation_key] if series is not None else []
        publications = publications.filter(series__translation_key__in=keys)
    if "year" in filters:
        publications = publications.filter(year=filters["year"])
    if "topic" in filters:
        publications = publications.filter(topics__pk=filters["topic"])
    if "country" in filters:
        publications = publications.filter(countries__pk=filters["country"])
    if "author" in filters:
        publications = publications.filter(
            pk__in=PublicationAuthor.objects.filter(expert_id=filters["author"]).values("page_id")
        )
    return publications.distinct()


def publications_in(index: PublicationIndexPage) -> PageQuerySet:
    return public_publications(language=None).child_of(index).order_by("-publication_date", "-pk")


def publication_index_context(index: PublicationIndexPage, request: HttpRequest) -> dict[str, Any]:
    """The library's filter form and the page of publications it selects."""
    front_cache.depends_on(PUBLICATION_FILTERS)
    everything = publications_in(index)
    # Six queries that change only with content: kept per generation and language.
    choices = page_cache.remember(
        f"publication-filters:{index.pk}:{get_language()}",
        lambda: _filter_choices(everything),
    )
    form = PublicationFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    query = urlencode(sorted(filters.items()))
    publications_page = fragments.listing_page(
        request,
        "publications",
        [index.pk, query],
        lambda: filtered(everything, filters),
        per_page=index.publications_per_page,
        prepare=with_authors,
    )
    return {
        "filter_form": form,
        "filters_applied": bool(filters),
        "filter_query": f"{query}&" if query else "",
        "publications_page": publications_page,
    }


def publication_page_context(page: PublicationPage, request: HttpRequest) -> dict[str, Any]:
    """The series, authors, tags and file details the publication's template shows.

    Everything here changes only with a publish, and the template keeps what
    shows it in fragments (`core.fragments`): each value is read on first use,
    so a page assembled from kept fragments makes none of these queries, and
    the surrogate keys are noted inside the fragment that first reads them.
    """
    data: dict[str, Any] = {}

    def read() -> dict[str, Any]:
        if not data:
            data.update(_publication_page_data(page, request))
        return data

    names = (
        "series",
        "label",
        "citation_record",
        "citation_styles",
        "highwire_tags",
        "citation_downloads",
        "download_url",
        "authors",
        "bylines",
        "pdf_document",
        "pdf_size",
        "countries",
        "regions",
        "topics",
    )
    return {name: SimpleLazyObject(partial(_value_of, read, name)) for name in names}


def _value_of(read: Callable[[], dict[str, Any]], name: str) -> Any:
    return read()[name]


def _publication_page_data(page: PublicationPage, request: HttpRequest) -> dict[str, Any]:
    series = page.series_in_language()
    authors = list(page.authors.select_related("expert").order_by("sort_order"))
    terms = {kind: list(getattr(page, kind).all()) for kind in ("countries", "regions", "topics")}
    front_cache.depends_on(
        series_key(page.series_id),
        *(expert_key(a.expert_id) for a in authors if a.expert_id is not None),
        *(term_key(kind, t.pk) for kind, found in terms.items() for t in found),
    )
    document = page.pdf
    file_size = ""
    if document is not None:
        try:
            file_size = filesizeformat(document.get_file_size() or 0)
        except OSError:
            file_size = ""
    record = publication_record(
        page,
        series=series,
        authors=authors,
        keywords=[t.name for found in terms.values() for t in found],
        request=request,
    )
    return {
        "series": series,
        "label": page.label_with(series),
        "citation_record": record,
        "citation_styles": citation_styles(record),
        "highwire_tags": highwire_tags(record),
        "citation_downloads": citation_downloads(page),
        "download_url": download_path(page) if document is not None else "",
        "authors": authors,
        "bylines": [
            {"name": a.name_in(page.language), "url": a.get_profile_url() or ""} for a in authors
        ],
        "pdf_document": document,
        "pdf_size": file_size,
        **terms,
    }


def publications_by_expert(expert: Expert, *, language: str | None = None) -> PageQuerySet:
    """An expert's public publications, newest first (for the lead's expert pages)."""
    return (
        public_publications(language=language)
        .filter(Q(authors__expert=expert))
        .distinct()
        .order_by("-publication_date", "-pk")
    )


RELATED_PUBLICATIONS = 2


def related_publications(page: Page, *, limit: int = RELATED_PUBLICATIONS) -> list[PublicationPage]:
    """Publications in the page's language sharing the most countries, regions and
    topics with it (an article, an event): the reports behind what a reader reads.

    The page's tags are read inside the ranking query (subqueries over its tag
    tables), so the whole list costs the ranking and `with_authors`.
    """
    shared: Any = None
    matches = Q()
    for field in ("countries", "regions", "topics"):
        relation = getattr(type(page), field, None)
        if relation is None:
            continue
        through = relation.through
        source = through._meta.get_field(f"{type(page)._meta.model_name}").attname
        target = through._meta.get_field(relation.rel.model._meta.model_name).attname
        ids = through.objects.filter(**{source: page.pk}).values(target)
        matches |= Q(**{f"{field}__in": ids})
        count = Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        shared = count if shared is None else shared + count
    if shared is None:
        return []
    ranked = (
        public_publications(language=language_of(page.locale_id))
        .filter(matches)
        .annotate(shared_tags=shared)
        .order_by("-shared_tags", "-publication_date", "-pk")
    )
    return with_authors(ranked[:limit])


def article_related_publications_context(page: Page, request: HttpRequest) -> dict[str, Any]:
    """`related_publications` for the article template, read only when its aside is
    rendered (a kept fragment makes no query); a publication tagged like the article
    purges it through the term keys the article already depends on."""
    return {"related_publications": lambda: related_publications(page)}
