"""A publication as search and insights read it (`core.indexing`): its abstract,
its web version and the text of its PDF, so a report is found by a sentence
from its page 30 and the countries it names reach the entity pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from vestnik.core.indexing import IndexedPart, IndexedText, indexed_page_register
from vestnik.publications.text import publication_parts

if TYPE_CHECKING:
    from vestnik.publications.models import PublicationPage


def describe_publication(page: PublicationPage) -> IndexedText:
    return IndexedText(
        title=page.title,
        language=page.language,
        date=page.publication_date,
        parts=tuple(IndexedPart(part.kind, part.text) for part in publication_parts(page)),  # type: ignore[arg-type]
        authors=tuple(
            author.expert_id for author in page.authors.all() if author.expert_id is not None
        ),
        countries=tuple(page.countries.values_list("pk", flat=True)),
        regions=tuple(page.regions.values_list("pk", flat=True)),
        topics=tuple(page.topics.values_list("pk", flat=True)),
    )


def register() -> None:
    from vestnik.publications.models import PublicationPage  # models load after apps.py

    indexed_page_register(
        PublicationPage,
        kind="publication",
        label=_("Publication"),
        describe=describe_publication,
    )
