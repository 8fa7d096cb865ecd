"""A publication's citation record, formatted by `articles.citations` as a report.

The record is the articles' `CitationRecord` with `kind="report"`: GOST for a
report, APA's report, BibTeX `@techreport`, RIS `RPRT` and CSL-JSON `report`
are written by the same formatters as an article's citations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse

from vestnik.articles.citations.names import Person
from vestnik.articles.citations.records import CitationRecord, citation_key, citation_publisher
from vestnik.core.site_identity import site_root_url

if TYPE_CHECKING:
    from vestnik.publications.models import PublicationAuthor, PublicationPage, PublicationSeries


def download_path(page: PublicationPage) -> str:
    return reverse("publications:download", args=[page.pk])


def download_url(page: PublicationPage, request: HttpRequest | None = None) -> str:
    return f"{site_root_url(request)}{download_path(page)}"


def publication_record(
    page: PublicationPage,
    *,
    series: PublicationSeries,
    authors: Iterable[PublicationAuthor],
    keywords: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> CitationRecord:
    """The record of the publication from what its page has already loaded."""
    language = page.language
    people = tuple(Person.from_full_name(author.name_in(language)) for author in authors)
    return CitationRecord(
        key=citation_key(people, page.publication_date, page.title),
        title=page.title,
        authors=people,
        container_title="",
        publisher=citation_publisher(language, request),
        issued=page.publication_date,
        url=page.get_full_url(request) or "",
        language=language,
        abstract=page.abstract,
        keywords=tuple(keywords),
        pdf_url=download_url(page, request) if page.pdf_id else "",
        kind="report",
        number=page.report_number,
        genre=series.singular,
        series=series.name,
        place=page.place,
        page_count=page.page_count,
        isbn=page.isbn,
        doi=page.doi,
    )


def publication_record_for(
    page: PublicationPage, request: HttpRequest | None = None
) -> CitationRecord:
    """A record for a download, loading the series, authors and tags itself."""
    english = page.language == "en"
    keywords: list[Any] = [
        (term.name_en or term.name_ru) if english else term.name_ru
        for terms in (page.countries.all(), page.regions.all(), page.topics.all())
        for term in terms
    ]
    return publication_record(
        page,
        series=page.series_in_language(),
        authors=page.authors.select_related("expert").order_by("sort_order"),
        keywords=keywords,
        request=request,
    )


def highwire_tags(record: CitationRecord) -> list[tuple[str, str]]:
    """The `citation_*` meta tags Google Scholar reads for a technical report."""
    tags = [("citation_title", record.title)]
    tags += [("citation_author", person.family_given) for person in record.authors]
    tags += [
        ("citation_publication_date", record.issued.strftime("%Y/%m/%d")),
        ("citation_technical_report_number", record.number),
        ("citation_technical_report_institution", record.publisher),
        ("citation_publisher", record.publisher),
        ("citation_language", record.language),
        ("citation_isbn", record.isbn),
        ("citation_doi", record.doi),
        ("citation_abstract_html_url", record.url),
        ("citation_pdf_url", record.pdf_url),
    ]
    if record.keywords:
        tags.append(("citation_keywords", "; ".join(record.keywords)))
    return [(name, value) for name, value in tags if value]
