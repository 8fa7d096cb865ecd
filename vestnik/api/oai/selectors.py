"""What the repository holds: its records, sets and identifiers, read from the page tree.

A record is a public article (a blog post or an analysis piece) or a public
publication, in either language: each language version is a page of its own,
with its own identifier, URL and `dc:language`. A page that was public and no
longer is stays as a `HarvestTombstone` and is listed as deleted. Lists are
walked in the order (datestamp, page id), by key (`tokens`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page
from wagtail.query import PageQuerySet

from vestnik.api.models import HarvestTombstone
from vestnik.articles.citations.records import CitationRecord, citation_record_for
from vestnik.articles.models import AnalysisIndexPage, ArticlePage
from vestnik.core.selectors import visible_to_public
from vestnik.core.site_identity import site_root_url
from vestnik.publications.citations import publication_record_for
from vestnik.publications.models import PublicationPage, PublicationSeries

HARVESTED_MODELS: tuple[type[Page], ...] = (ArticlePage, PublicationPage)

SECTION_SETS = {
    "articles": _("Blog articles"),
    "analysis": _("Analysis"),
    "publications": _("Publications"),
    "series": _("Publication series"),
}
SERIES_SET_PREFIX = "series:"

# A setSpec as the protocol's schema allows it.
SET_SPEC = re.compile(r"\A[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")


# --- identifiers ---------------------------------------------------------------


def repository_identifier() -> str:
    """`VESTNIK_API_OAI_REPOSITORY_IDENTIFIER`, else the default site's host name."""
    configured = str(getattr(settings, "VESTNIK_API_OAI_REPOSITORY_IDENTIFIER", ""))
    return configured or urlsplit(site_root_url(None)).hostname or "localhost"


def identifier_for(page_id: int) -> str:
    """`oai:<host>:<page id>`: a page's id survives moves, renames and new slugs."""
    return f"oai:{repository_identifier()}:{page_id}"


def page_id_of(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:"
    local = identifier.removeprefix(prefix)
    if local == identifier or not local.isascii() or not local.isdigit():
        return None
    return int(local)


# --- sets ----------------------------------------------------------------------


@dataclass(frozen=True)
class HarvestSet:
    spec: str
    name: str


def harvest_sets() -> list[HarvestSet]:
    """The sections, then one set per publication series (`series:<slug>`), by slug.

    A series translated under another slug is a set of its own: a slug names
    the publications filed under that version of the series.
    """
    sets = [HarvestSet(spec, str(name)) for spec, name in SECTION_SETS.items()]
    default_locale = Locale.get_default()
    names: dict[str, str] = {}
    for series in PublicationSeries.objects.order_by("slug", "pk"):
        if series.slug not in names or series.locale_id == default_locale.pk:
            names[series.slug] = series.name
    sets += [
        HarvestSet(f"{SERIES_SET_PREFIX}{slug}", name)
        for slug, name in sorted(names.items())
        if SET_SPEC.match(f"{SERIES_SET_PREFIX}{slug}")
    ]
    return sets


def set_exists(spec: str) -> bool:
    return any(found.spec == spec for found in harvest_sets())


def in_set(specs: Iterable[str], spec: str) -> bool:
    """Membership as the protocol's set hierarchy has it: `series` holds `series:<slug>`."""
    return any(own == spec or own.startswith(f"{spec}:") for own in specs)


def _analysis_parents() -> Q:
    match = Q(pk__in=[])
    for path, depth in AnalysisIndexPage.objects.values_list("path", "depth"):
        match |= Q(path__startswith=path, depth=depth + 1)
    return match


def _set_filter(spec: str) -> Q:
    """The pages of a set, as a filter on `Page`."""
    articles = Q(pk__in=ArticlePage.objects.values("pk"))
    publications = Q(pk__in=PublicationPage.objects.values("pk"))
    if spec == "articles":
        return articles & ~_analysis_parents()
    if spec == "analysis":
        return articles & _analysis_parents()
    if spec in ("publications", "series"):
        return publications
    if spec.startswith(SERIES_SET_PREFIX):
        slug = spec.removeprefix(SERIES_SET_PREFIX)
        return Q(pk__in=PublicationPage.objects.filter(series__slug=slug).values("pk"))
    return Q(pk__in=[])


def set_specs_of(pages: Iterable[Page]) -> dict[int, tuple[str, ...]]:
    """Each page's sets, for its header: its section, and a publication's series."""
    pages = list(pages)
    analysis_paths = set(AnalysisIndexPage.objects.values_list("path", flat=True))
    publication_ids = [page.pk for page in pages if isinstance(page, PublicationPage)]
    series_slugs = dict(
        PublicationPage.objects.filter(pk__in=publication_ids).values_list("pk", "series__slug")
    )
    specs: dict[int, tuple[str, ...]] = {}
    for page in pages:
        if isinstance(page, PublicationPage):
            slug = series_slugs.get(page.pk, "")
            series = f"{SERIES_SET_PREFIX}{slug}"
            specs[page.pk] = (
                ("publications", series) if SET_SPEC.match(series) else ("publications",)
            )
        elif isinstance(page, ArticlePage):
            parent_path = page.path[: -page.steplen]
            specs[page.pk] = ("analysis",) if parent_path in analysis_paths else ("articles",)
    return specs


# --- records ---------------------------------------------------------------------


def public_records() -> PageQuerySet:
    """The public pages the repository offers, each with its `datestamp` (last published)."""
    pages = Page.objects.type(*HARVESTED_MODELS)
    return visible_to_public(pages).annotate(
        datestamp=Coalesce("last_published_at", "first_published_at")
    )


@dataclass(frozen=True)
class Item:
    """One entry of a list: a public page (`page` set) or a deleted one."""

    page_id: int
    datestamp: datetime.datetime
    set_specs: tuple[str, ...]
    page: Page | None = None

    @property
    def deleted(self) -> bool:
        return self.page is None

    @property
    def key(self) -> tuple[datetime.datetime, int]:
        return (self.datestamp, self.page_id)


@dataclass(frozen=True)
class Selection:
    """The arguments that choose records: [start, end) and a set."""

    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    set_spec: str | None = None


def _public_selected(selection: Selection) -> PageQuerySet:
    pages = public_records()
    if selection.start is not None:
        pages = pages.filter(datestamp__gte=selection.start)
    if selection.end is not None:
        pages = pages.filter(datestamp__lt=selection.end)
    if selection.set_spec is not None:
        pages = pages.filter(_set_filter(selection.set_spec))
    return pages


def _tombstones_selected(selection: Selection) -> list[HarvestTombstone]:
    # Few rows, and a set is a list in a JSON field: filtered here, the same way on every database.
    tombstones = HarvestTombstone.objects.order_by("datestamp", "page_id")
    if selection.start is not None:
        tombstones = tombstones.filter(datestamp__gte=selection.start)
    if selection.end is not None:
        tombstones = tombstones.filter(datestamp__lt=selection.end)
    return [
        tombstone
        for tombstone in tombstones
        if selection.set_spec is None or in_set(tombstone.set_specs, selection.set_spec)
    ]


def items_page(
    selection: Selection, *, after: tuple[datetime.datetime, int] | None, size: int
) -> tuple[list[Item], int]:
    """Up to `size` items after the key `after`, and how many the whole list has.

    Public pages and tombstones are two sorted streams merged by key; a page
    published again has no tombstone (`services`), so no page is in both.
    """
    pages = _public_selected(selection)
    tombstones = _tombstones_selected(selection)
    if tombstones:
        # A page made public again outside a publish (a restriction lifted, whose
        # handler runs on commit) is listed once, as the live record it is.
        public_again = set(
            public_records()
            .filter(pk__in=[t.page_id for t in tombstones])
            .values_list("pk", flat=True)
        )
        tombstones = [t for t in tombstones if t.page_id not in public_again]
    total = pages.count() + len(tombstones)
    if after is not None:
        moment, page_id = after
        pages = pages.filter(Q(datestamp__gt=moment) | Q(datestamp=moment, pk__gt=page_id))
        tombstones = [t for t in tombstones if (t.datestamp, t.page_id) > after]
    chosen = list(pages.order_by("datestamp", "pk").specific()[:size])
    specs = set_specs_of(chosen)
    items = [
        Item(page.pk, page.datestamp, specs.get(page.pk, ()), page)  # type: ignore[attr-defined]
        for page in chosen
    ]
    items += [Item(t.page_id, t.datestamp, tuple(t.set_specs)) for t in tombstones[:size]]
    items.sort(key=lambda item: item.key)
    return items[:size], total


def item_for(page_id: int) -> Item | None:
    """The public page or the tombstone with this id; None for anything else (drafts too)."""
    page = public_records().filter(pk=page_id).specific().first()
    if page is not None:
        return Item(page.pk, page.datestamp, set_specs_of([page]).get(page.pk, ()), page)  # type: ignore[attr-defined]
    tombstone = HarvestTombstone.objects.filter(page_id=page_id).first()
    if tombstone is not None:
        return Item(tombstone.page_id, tombstone.datestamp, tuple(tombstone.set_specs))
    return None


def earliest_datestamp() -> datetime.datetime | None:
    moments = [
        public_records().aggregate(earliest=Min("datestamp"))["earliest"],
        HarvestTombstone.objects.aggregate(earliest=Min("datestamp"))["earliest"],
    ]
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def citation_of(page: Page, request: HttpRequest | None) -> CitationRecord | None:
    """What a citation says about the page: the record `oai_dc` is written from.

    The citations' own loaders read each page's blog, authors and tags (a few
    queries a record); a harvest reads a hundred records a request at most,
    and one description of an article for every consumer is worth more.
    """
    if isinstance(page, ArticlePage):
        return citation_record_for(page, request)
    if isinstance(page, PublicationPage):
        return publication_record_for(page, request)
    return None
