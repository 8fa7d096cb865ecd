"""Writes: storing an article's extraction, and editors' corrections.

Extraction itself (about half a second of CPU) runs outside any transaction; only the
write of its result is atomic, so SQLite's single writer is never held while
natasha thinks. Every write makes cached pages stale once it has committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils.translation import gettext

from wagtail.models import Page

from vestnik.core import front_cache
from vestnik.core.indexing import IndexedText, indexed_types
from vestnik.core.text import latin_slug
from vestnik.insights.cache_keys import ENTITY_INDEX, entity_key
from vestnik.insights.extractors.base import ExtractedEntity, Extraction
from vestnik.insights.extractors.entities import name_key
from vestnik.insights.extractors.pipeline import extract
from vestnik.insights.models import Entity, KeyFigure, Mention, TimelineEvent
from vestnik.insights.selectors import capitals, extraction_vocabulary, final_entity
from vestnik.insights.texts import described_units, page_description
from vestnik.vocabulary.models import Country


class CorrectionError(ValueError):
    """An editor's correction that cannot be applied (merging an entity into itself)."""


# --- extraction -------------------------------------------------------------------


def insights_extract_for_page(*, page: Page) -> Extraction:
    """Read the page (any registered type, `core.indexing`), store what it mentions,
    its timeline and figures; return the result. A type nobody registered has none."""
    described = page_description(page)
    if described is None:
        return Extraction(language="")
    entities_for_countries_ensure()
    extraction = extract(
        described_units(described), vocabulary=extraction_vocabulary(), language=described.language
    )
    insights_save(page=page, extraction=extraction, described=described)
    return extraction


@transaction.atomic
def insights_save(
    *, page: Page, extraction: Extraction, described: IndexedText | None = None
) -> None:
    """Replace the page's mentions, timeline and figures, keeping editors' hidden mentions."""
    if described is None:
        described = page_description(page)
    date = described.date if described is not None else None
    resolved: dict[int, tuple[Entity, int, set[str]]] = {}
    by_sentence: dict[int, set[int]] = defaultdict(set)
    for found in extraction.entities:
        entity = _entity_for(found)
        _, count, forms = resolved.get(entity.pk, (entity, 0, set()))
        resolved[entity.pk] = (entity, count + found.count, forms | set(found.forms))
        for sentence in found.sentences:
            by_sentence[sentence].add(entity.pk)

    existing = {mention.entity_id: mention for mention in Mention.objects.filter(page=page)}
    touched_entities = set(existing) | set(resolved)
    for entity_id, (_entity, count, forms) in resolved.items():
        mention = existing.pop(entity_id, None) or Mention(page=page, entity_id=entity_id)
        mention.count = count
        mention.date = date
        mention.forms = ", ".join(sorted(forms))
        mention.save()
    # A name no longer found: forget it, unless an editor hid it here (keep that decision).
    gone = [m.pk for m in existing.values() if not m.hidden]
    Mention.objects.filter(pk__in=gone).delete()
    Mention.objects.filter(pk__in=[m.pk for m in existing.values() if m.hidden]).update(
        count=0, date=date
    )

    TimelineEvent.objects.filter(page=page).delete()
    events = TimelineEvent.objects.bulk_create(
        TimelineEvent(
            page=page,
            page_date=date,
            year=item.date.year,
            month=item.date.month,
            day=item.date.day,
            end_year=item.end.year if item.end else None,
            end_month=item.end.month if item.end else None,
            end_day=item.end.day if item.end else None,
            text=item.text,
            position=item.position,
        )
        for item in extraction.timeline
    )
    Link = TimelineEvent.entities.through
    Link.objects.bulk_create(
        Link(timelineevent_id=event.pk, entity_id=entity_id)
        for event, item in zip(events, extraction.timeline, strict=True)
        for entity_id in sorted(by_sentence.get(item.position, ()))
    )

    KeyFigure.objects.filter(page=page).delete()
    KeyFigure.objects.bulk_create(
        KeyFigure(
            page=page,
            value=figure.value,
            unit=figure.unit,
            display=figure.display[:80],
            label=figure.label[:255],
            year=figure.year,
            sentence=figure.sentence,
            position=figure.position,
        )
        for figure in extraction.figures
    )
    _purge_pages_showing(entity_ids=touched_entities, page_ids={page.pk})


def _purge_pages_showing(*, entity_ids: set[int], page_ids: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    """Entity pages, the entity index and every article whose panel names these entities."""
    page_ids = set(page_ids) | set(
        Mention.objects.filter(entity_id__in=entity_ids).values_list("page_id", flat=True)
    )
    front_cache.cached_urls_purge(
        keys={
            ENTITY_INDEX,
            *(entity_key(pk) for pk in entity_ids),
            *(front_cache.page_key(pk) for pk in page_ids),
        }
    )


def _entity_for(found: ExtractedEntity) -> Entity:
    """The stored entity an extracted one is, created on first sight."""
    entity: Entity | None = None
    if found.key.startswith("country:"):
        entity = Entity.objects.filter(country__iso_code=found.key.removeprefix("country:")).first()
    elif found.key.startswith("entity:"):
        entity = Entity.objects.filter(pk=int(found.key.removeprefix("entity:"))).first()
    if entity is None:
        entity = Entity.objects.filter(kind=found.kind, name=found.name).first()
    if entity is None:
        entity = Entity.objects.create(
            kind=found.kind,
            name=found.name[:255],
            short_name=found.short_name[:60],
            slug=_unique_slug(found.short_name or found.name),
        )
    return final_entity(entity)


def _unique_slug(name: str) -> str:
    base = latin_slug(name, max_length=100)
    slug, number = base, 1
    while Entity.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def entities_for_countries_ensure() -> int:
    """An entity for every country of the vocabulary, its capitals as editable aliases.

    Created once; afterwards the entity's aliases are the editors', so removing
    «Анкара» from Turkey's makes Ankara a place of its own in later extractions.
    """
    missing = list(Country.objects.filter(insights_entity__isnull=True))
    for country in missing:
        # An editor may have made the entity by hand before the country arrived.
        existing = Entity.objects.filter(
            kind=Entity.Kind.COUNTRY, name=country.name_ru, country__isnull=True
        ).first()
        if existing is not None:
            existing.country = country
            existing.save(update_fields=["country"])
            continue
        Entity.objects.create(
            kind=Entity.Kind.COUNTRY,
            name=country.name_ru,
            slug=_unique_slug(country.name_ru),
            aliases=", ".join(capitals().get(country.iso_code, [])),
            country=country,
        )
    return len(missing)


# --- corrections -------------------------------------------------------------------


@transaction.atomic
def entity_merge(*, source: Entity, target: Entity) -> Entity:
    """`source` is `target`: its mentions, timeline links and merged entities move there.

    The source stays, pointing at the target, so that every later extraction
    that finds its name counts it for the target.
    """
    target = final_entity(target)
    if target.pk == source.pk:
        raise CorrectionError(gettext("An entity cannot be merged into itself."))
    # Pages that named the source name the target from now on.
    _purge_pages_showing(entity_ids={source.pk, target.pk})
    Entity.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into"])

    target_mentions = {m.page_id: m for m in Mention.objects.filter(entity=target)}
    for mention in Mention.objects.filter(entity=source):
        existing = target_mentions.get(mention.page_id)
        if existing is None:
            mention.entity = target
            mention.save(update_fields=["entity"])
            continue
        if not mention.hidden:
            existing.count = F("count") + mention.count
            existing.forms = ", ".join(
                sorted({*existing.forms.split(", "), *mention.forms.split(", ")} - {""})
            )
            existing.save(update_fields=["count", "forms"])
        mention.delete()

    Link = TimelineEvent.entities.through
    linked = set(Link.objects.filter(entity=target).values_list("timelineevent_id", flat=True))
    for link in Link.objects.filter(entity=source):
        if link.timelineevent_id in linked:
            link.delete()
        else:
            link.entity_id = target.pk
            link.save()
    return target


def aliases_with(entity: Entity, alias: str) -> str:
    """The entity's aliases with one more, unless it already goes by that name."""
    alias = " ".join(alias.split()).strip(" ,")
    if not alias or entity.has_name(alias):
        return entity.aliases
    return ", ".join([*entity.alias_list(), alias])


@transaction.atomic
def alias_add(*, entity: Entity, alias: str) -> Entity:
    """Another name for the entity, now and in every later extraction.

    An entity already known by that name («Анкара», a place) is merged into this one.
    """
    if not alias.strip(" ,"):
        raise CorrectionError(gettext("An alias cannot be empty."))
    aliases = aliases_with(entity, alias)
    if aliases != entity.aliases:
        entity.aliases = aliases
        entity.save(update_fields=["aliases"])
    entity_aliases_apply(entity=entity)
    _purge_pages_showing(entity_ids={entity.pk})
    return entity


@transaction.atomic
def entity_rename(*, entity: Entity, name: str) -> Entity:
    """A better name for readers; the old one stays an alias, so extraction still finds it."""
    name = " ".join(name.split())
    if not name:
        raise CorrectionError(gettext("A name cannot be empty."))
    if name != entity.name:
        old = entity.name
        entity.name = name
        entity.aliases = aliases_with(entity, old)
        entity.save(update_fields=["name", "aliases"])
        _purge_pages_showing(entity_ids={entity.pk})
    return entity


@transaction.atomic
def entity_aliases_apply(*, entity: Entity) -> list[Entity]:
    """Merge into `entity` every other entity that goes by one of its aliases."""
    keys = {name_key(alias) for alias in entity.alias_list()}
    if not keys:
        return []
    merged: list[Entity] = []
    others = Entity.objects.exclude(pk=entity.pk).filter(merged_into__isnull=True)
    for other in others:
        if name_key(other.name) in keys or (
            other.short_name and name_key(other.short_name) in keys
        ):
            entity_merge(source=other, target=entity)
            merged.append(other)
    return merged


@transaction.atomic
def mention_hide(*, mention: Mention, hidden: bool = True, everywhere: bool = False) -> Mention:
    """Hide a wrong mention in its article — or, `everywhere`, hide the entity in all of them."""
    mention.hidden = hidden
    mention.save(update_fields=["hidden"])
    if everywhere:
        entity = mention.entity
        entity.hidden = hidden
        entity.save(update_fields=["hidden"])
    _purge_pages_showing(entity_ids={mention.entity_id}, page_ids={mention.page_id})
    return mention


@dataclass(frozen=True)
class ArchiveRun:
    pages: int
    failed: list[tuple[int, str]]


def insights_extract_archive(
    *, page_ids: Iterable[int] | None = None, progress: Callable[[int, int], None] | None = None
) -> ArchiveRun:
    """Extract every live page of every registered type again (or those of `page_ids`),
    one transaction each.

    Corrections survive, being stored apart from what extraction writes. A
    page that fails is reported and the run goes on: one unreadable page
    must not stop an archive of thousands.
    """
    chosen = list(page_ids) if page_ids is not None else None
    todo: list[tuple[type[Page], int]] = []
    for registered in indexed_types():
        pages = registered.model.objects.live().order_by("pk")
        if chosen is not None:
            pages = pages.filter(pk__in=chosen)
        todo.extend((registered.model, pk) for pk in pages.values_list("pk", flat=True))
    failed: list[tuple[int, str]] = []
    for done, (model, page_id) in enumerate(todo, start=1):
        page = model.objects.get(pk=page_id)
        try:
            insights_extract_for_page(page=page)
        except (ValueError, LookupError, DatabaseError) as exc:
            failed.append((page_id, f"{type(exc).__name__}: {exc}"))
        if progress is not None:
            progress(done, len(todo))
    return ArchiveRun(pages=len(todo), failed=failed)
