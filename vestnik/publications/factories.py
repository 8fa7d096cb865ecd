"""Test and demo builders for series, PDF documents and publications."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Locale
from wagtail.utils.file import hash_filelike

from vestnik.authors.models import Expert
from vestnik.core.text import latin_slug
from vestnik.publications.demo import demo_pdf
from vestnik.publications.models import PublicationAuthor, PublicationPage, PublicationSeries
from vestnik.publications.services import publication_pdf_refresh, publications_index_ensure


def series_ensure(
    name: str = "Рабочие тетради", item_name: str = "Рабочая тетрадь", slug: str = ""
) -> PublicationSeries:
    series, _ = PublicationSeries.objects.get_or_create(
        slug=slug or latin_slug(name),
        locale=Locale.get_default(),
        defaults={"name": name, "item_name": item_name},
    )
    return series


def pdf_document(title: str, content: bytes, *, file_name: str = "") -> Any:
    document = get_document_model()(title=title)
    document.file.save(
        file_name or f"{latin_slug(title) or 'publication'}.pdf", ContentFile(content), save=False
    )
    # As the admin's upload form does: size and hash known from the start, so no
    # reader's request writes them.
    document.file_size = len(content)
    document.file_hash = hash_filelike(io.BytesIO(content))
    document.save()
    return document


def publication_in_library(
    *,
    title: str = "Каспийский транзит: порты и тарифы",
    series: PublicationSeries | None = None,
    number: str = "91",
    year: int = 2025,
    date: datetime.date = datetime.date(2025, 11, 28),
    abstract: str = "Как растёт транзит через Каспий и что мешает портам.",
    authors: list[Expert | str] | None = None,
    pdf: bytes | None = None,
    paragraphs: list[str] | None = None,
    publish: bool = True,
    **fields: Any,
) -> PublicationPage:
    """A publication in the library; its PDF is `pdf`, or one WeasyPrint makes of `paragraphs`."""
    index = publications_index_ensure()
    if pdf is None and paragraphs is not None:
        pdf = demo_pdf(title, paragraphs)
    document = pdf_document(title, pdf) if pdf is not None else None
    page = PublicationPage(
        title=title,
        slug=latin_slug(title),
        series=series or series_ensure(),
        number=number,
        year=year,
        publication_date=date,
        abstract=abstract,
        pdf=document,
        live=publish,
        **fields,
    )
    for order, author in enumerate(authors or []):
        if isinstance(author, Expert):
            page.authors.add(PublicationAuthor(expert=author, sort_order=order))
        else:
            page.authors.add(PublicationAuthor(name=author, sort_order=order))
    publication_pdf_refresh(page)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page
