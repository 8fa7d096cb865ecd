"""Reads: the vocabulary extraction resolves names with, an article's panel, an entity's page."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Count, Max, Q, QuerySet, Sum

from wagtail.models import Page
from wagtail.query import PageQuerySet

from vestnik.core.indexing import indexed_pages_load, indexed_types
from vestnik.core.locales import content_language, language_of
from vestnik.core.selectors import visible_to_public
from vestnik.insights.extractors.base import ENTITY_KINDS, PartialDate
from vestnik.insights.extractors.entities import Vocabulary, VocabularyEntry
from vestnik.insights.models import Entity, KeyFigure, Mention, TimelineEvent
from vestnik.vocabulary.models import Country

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def capitals() -> dict[str, list[str]]:
    """ISO code → capitals that stand for their state in texts («Анкара», «Астана»)."""
    data: dict[str, list[str]] = json.loads(
        (DATA_DIR / "capitals.json").read_text(encoding="utf-8")
    )
    return data


@cache
def organisations() -> list[dict[str, str]]:
    """International organisations known from the start (seeded by a migration as entities)."""
    data: list[dict[str, str]] = json.loads(
        (DATA_DIR / "organisations.json").read_text(encoding="utf-8")
    )
    return data


# --- extraction ----------------------------------------------------------------


def entity_key(entity: Entity) -> str:
    """How the vocabulary names an entity: by its country when it has one."""
    if entity.country is not None:
        return f"country:{entity.country.iso_code}"
    return f"entity:{entity.pk}"


def final_entity(entity: Entity, entities: dict[int, Entity] | None = None) -> Entity:
    """Follow `merged_into` to the entity that stands for this one (cycles end where they loop)."""
    seen = {entity.pk}
    while (target_id := entity.merged_into_id) is not None and target_id not in seen:
        seen.add(target_id)
        if entities is not None and target_id in entities:
            entity = entities[target_id]
        else:
            entity = Entity.objects.select_related("country").get(pk=target_id)
    return entity


def extraction_vocabulary(*, with_corrections: bool = True) -> Vocabulary:
    """Every name extraction should resolve: the country vocabulary, then editors' entities.

    Countries contribute their Russian and English names and aliases («РК»,
    «Кыргызстан»); entities their names, abbreviations, aliases (capitals
    among them) and the names extraction has seen for them. Entities come
    last, so an editor's alias or merge wins over the vocabulary. Without
    corrections (the quality report), capitals and international organisations
    come straight from the data files.
    """
    vocabulary = Vocabulary()
    countries = list(Country.objects.all())
    for country in countries:
        entry = VocabularyEntry(f"country:{country.iso_code}", "country", country.name_ru)
        vocabulary.add(entry, [country.name_ru, country.name_en, *country.aliases.split(",")])
    if not with_corrections:
        for country in countries:
            entry = VocabularyEntry(f"country:{country.iso_code}", "country", country.name_ru)
            vocabulary.add(entry, capitals().get(country.iso_code, []))
        for row in organisations():
            entry = VocabularyEntry(
                f"seed:{row['name']}", "organisation", row["name"], short_name=row["short"]
            )
            vocabulary.add(entry, [row["name"], row["short"], *row["aliases"].split(",")])
        return vocabulary
    entities = {entity.pk: entity for entity in Entity.objects.select_related("country")}
    with_entity = {entity.country_id for entity in entities.values() if entity.country_id}
    for country in countries:
        if country.pk not in with_entity:
            entry = VocabularyEntry(f"country:{country.iso_code}", "country", country.name_ru)
            vocabulary.add(entry, capitals().get(country.iso_code, []))
    # Merged entities first, so that the entity they were merged into has the last word.
    for entity in sorted(entities.values(), key=lambda e: e.merged_into_id is None):
        target = final_entity(entity, entities)
        entry = VocabularyEntry(
            key=entity_key(target),
            kind=target.kind,  # type: ignore[arg-type]
            name=target.name,
            short_name=target.short_name,
            hidden=target.hidden,
        )
        vocabulary.add(entry, entity.names())
    return vocabulary


# --- the article's panel -----------------------------------------------------------


@dataclass(frozen=True)
class MentionRow:
    name: str
    name_en: str
    short_name: str
    slug: str
    kind: str
    count: int


@dataclass(frozen=True)
class EventRow:
    date: PartialDate
    end: PartialDate | None
    iso: str
    text: str


@dataclass(frozen=True)
class FigureRow:
    display: str
    label: str
    year: int | None
    sentence: str


@dataclass(frozen=True)
class KindGroup:
    kind: str
    mentions: list[MentionRow]


@dataclass(frozen=True)
class PageInsights:
    groups: list[KindGroup] = field(default_factory=list)
    timeline: list[EventRow] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups or self.timeline or self.figures)


def visible_mentions() -> QuerySet[Mention]:
    """Mentions a reader may see: not hidden, counted, of an entity that is one."""
    return Mention.objects.filter(
        hidden=False, count__gt=0, entity__hidden=False, entity__merged_into__isnull=True
    )


def page_insights(page: Page) -> PageInsights:
    """The insights panel of one page, as plain values (cached with the page content)."""
    mentions = (
        visible_mentions()
        .filter(page=page)
        .select_related("entity__country")
        .order_by("-count", "entity__name")
    )
    by_kind: dict[str, list[MentionRow]] = {}
    for mention in mentions:
        entity = mention.entity
        by_kind.setdefault(entity.kind, []).append(
            MentionRow(
                name=entity.name,
                name_en=entity.country.name_en if entity.country else "",
                short_name=entity.short_name,
                slug=entity.slug,
                kind=entity.kind,
                count=mention.count,
            )
        )
    groups = [KindGroup(kind, by_kind[kind]) for kind in ENTITY_KINDS if kind in by_kind]
    timeline = [
        EventRow(event.date, event.end, event.iso(), event.text)
        for event in TimelineEvent.objects.filter(page=page).order_by(
            "year", "month", "day", "position"
        )
    ]
    figures = [
        FigureRow(figure.display, figure.label, figure.year, figure.sentence)
        for figure in KeyFigure.objects.filter(page=page)
    ]
    return PageInsights(groups=groups, timeline=timeline, figures=figures)


# --- entity pages ---------------------------------------------------------------


def public_mentions() -> QuerySet[Mention]:
    """Visible mentions in articles an anonymous reader may see.

    Extraction reads private articles too (an editor may open them later);
    entity pages and the index count and quote only public ones, or a
    protected article's title, sentences and the names it alone mentions
    would show on them.
    """
    return visible_mentions().filter(page__in=public_pages().values("pk"))


def public_pages() -> PageQuerySet:
    """Live public pages of every type registered with `core.indexing`, in every language."""
    models = [registered.model for registered in indexed_types()]
    pages: PageQuerySet = Page.objects.type(*models) if models else Page.objects.none()
    return visible_to_public(pages)


def entity_materials(entity: Entity) -> PageQuerySet:
    """Public pages of every registered type that mention the entity, newest first.

    Base `Page`s, each with `entity_mentions` and `entity_date` (the page's own
    date, as its describer gave it); `specific_materials` turns a page of them
    into articles, publications and events for display.
    """
    mentions = visible_mentions().filter(entity=entity)
    materials: PageQuerySet = (
        public_pages()
        .filter(insight_mentions__in=mentions)
        .annotate(
            entity_mentions=Sum("insight_mentions__count"),
            entity_date=Max("insight_mentions__date"),
        )
        .order_by("-entity_date", "-pk")
    )
    return materials


def specific_materials(pages: Iterable[Page]) -> list[Page]:
    """`entity_materials` as articles, publications and events, in order, readied for a
    list (`core.indexing.indexed_pages_load`), each with `indexed_language` too."""
    materials: list[Page] = indexed_pages_load(
        pages, annotations=("entity_mentions", "entity_date")
    )
    for page in materials:
        page.indexed_language = language_of(page.locale_id)  # type: ignore[attr-defined]
    return materials


def entity_timeline(
    entity: Entity, *, limit: int = 200, language: str | None = None
) -> list[TimelineEvent]:
    """Dated sentences that name the entity, across public pages that still mention it.

    Pages in both languages count; a translated page's sentences appear once,
    from the version in the reader's language (`language`, by default the
    request's), not once per translation.
    """
    language = language or content_language()
    pages = public_mentions().filter(entity=entity).values("page")
    events = list(
        TimelineEvent.objects.filter(entities=entity, page__in=pages)
        .select_related("page")
        .order_by("year", "month", "day", "page_date", "position")[: limit * 2]
    )
    read_here = {
        event.page.translation_key
        for event in events
        if language_of(event.page.locale_id) == language
    }
    return [
        event
        for event in events
        if language_of(event.page.locale_id) == language
        or event.page.translation_key not in read_here
    ][:limit]


@dataclass(frozen=True)
class Neighbour:
    entity: Entity
    articles: int
    mentions: int


def entity_neighbours(entity: Entity, *, limit: int = 12) -> list[Neighbour]:
    """The entities most often named in the same articles, by shared articles then mentions."""
    pages = public_mentions().filter(entity=entity).values("page")
    rows = list(
        visible_mentions()
        .filter(page__in=pages)
        .exclude(entity=entity)
        .values("entity")
        .annotate(articles=Count("page", distinct=True), mentions=Sum("count"))
        .order_by("-articles", "-mentions")[:limit]
    )
    # With their countries: the page names them in the reader's language (`Entity.name_in`).
    entities = Entity.objects.select_related("country").in_bulk([row["entity"] for row in rows])
    return [
        Neighbour(entities[row["entity"]], row["articles"], row["mentions"])
        for row in rows
        if row["entity"] in entities
    ]


@dataclass(frozen=True)
class MonthBar:
    month: datetime.date
    mentions: int
    articles: int
    height: float  # 0..1 of the tallest bar


def entity_months(entity: Entity, *, max_months: int = 36) -> list[MonthBar]:
    """Mentions per month of publication, gaps filled with zeros, the latest `max_months`."""
    rows = public_mentions().filter(entity=entity).values_list("date", "count")
    totals: dict[datetime.date, list[int]] = {}
    for published, count in rows:
        if published is None:
            continue
        month = published.replace(day=1)
        total = totals.setdefault(month, [0, 0])
        total[0] += count
        total[1] += 1
    if not totals:
        return []
    months: list[datetime.date] = []
    month, last = min(totals), max(totals)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    months = months[-max_months:]
    tallest = max(totals.get(m, [0, 0])[0] for m in months) or 1
    return [
        MonthBar(
            month=m,
            mentions=totals.get(m, [0, 0])[0],
            articles=totals.get(m, [0, 0])[1],
            height=totals.get(m, [0, 0])[0] / tallest,
        )
        for m in months
    ]


def entities_with_articles() -> dict[str, list[tuple[Entity, int]]]:
    """For the index: entities named in public articles, by kind, with their article counts."""
    rows = (
        Entity.objects.filter(hidden=False, merged_into__isnull=True)
        .select_related("country")
        .annotate(
            articles=Count(
                "mentions__page",
                filter=Q(
                    mentions__hidden=False,
                    mentions__count__gt=0,
                    mentions__page__in=public_pages().values("pk"),
                ),
                distinct=True,
            )
        )
        .filter(articles__gt=0)
        .order_by("-articles", "name")
    )
    grouped: dict[str, list[tuple[Entity, int]]] = {kind: [] for kind in ENTITY_KINDS}
    for entity in rows:
        grouped.setdefault(entity.kind, []).append((entity, entity.articles))
    return {kind: items for kind, items in grouped.items() if items}
