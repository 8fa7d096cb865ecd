"""Write the demo centre's publications and events (`site.demo.programme`) into the site.

Idempotent like the rest of the demo: a publication is found again by its
series, number and year, an event by its slug, and a translation by its
source's translation key; nothing found is modified, so what an editor changed
survives the next `load_demo`. PDFs are drawn (WeasyPrint) only when a
publication is first made.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image as PillowImage

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Locale, Page

from vestnik.articles.drafts import ImageDraft
from vestnik.articles.services import _image_ensure
from vestnik.authors.models import Expert
from vestnik.core.text import latin_slug
from vestnik.events.models import (
    EventIndexPage,
    EventPage,
    EventParticipant,
    EventQuestion,
    EventRelatedPage,
    ParticipantRole,
)
from vestnik.publications.demo import demo_pdf
from vestnik.publications.factories import pdf_document
from vestnik.publications.models import (
    PublicationAuthor,
    PublicationIndexPage,
    PublicationPage,
    PublicationSeries,
)
from vestnik.publications.services import publication_pdf_refresh
from vestnik.site.demo import programme
from vestnik.site.demo.images import render

if TYPE_CHECKING:
    from vestnik.site.demo.loader import _Vocabulary

PUBLISHER_LINE = "М.: Центр евразийских исследований, {year}. {pages} с."
PUBLISHER_LINE_EN = "Moscow: Centre for Eurasian Studies, {year}. {pages} p."
COVER_KINDS = ("sea_routes", "river_basin", "bars")


@dataclass
class ProgrammeSummary:
    publications_created: int = 0
    events_created: int = 0
    translations_created: int = 0
    publications: dict[str, PublicationPage] = field(default_factory=dict)
    events: dict[str, EventPage] = field(default_factory=dict)


@transaction.atomic
def programme_ensure(
    publications_index: PublicationIndexPage,
    events_index: EventIndexPage,
    experts: dict[str, Expert],
    vocabulary: _Vocabulary,
) -> ProgrammeSummary:
    summary = ProgrammeSummary()
    english = Locale.objects.filter(language_code="en").first()
    series = {spec.key: _series_ensure(spec, english) for spec in programme.SERIES}
    for order, paper in enumerate(programme.PUBLICATIONS):
        page = _publication_ensure(
            paper, order, publications_index, series, experts, vocabulary, summary
        )
        summary.publications[paper.key] = page
        if english is not None:
            _publication_translation_ensure(paper, page, english, summary)
    for gathering in programme.EVENTS:
        event = _event_ensure(gathering, events_index, experts, vocabulary, summary)
        summary.events[gathering.key] = event
        if english is not None:
            _event_translation_ensure(gathering, event, english, summary)
    return summary


# --- publications ------------------------------------------------------------


def _series_ensure(spec: programme.DemoSeries, english: Locale | None) -> PublicationSeries:
    series, _ = PublicationSeries.objects.get_or_create(
        slug=spec.key,
        locale=Locale.get_default(),
        defaults={
            "name": spec.name,
            "item_name": spec.item_name,
            "description": spec.description,
        },
    )
    if english is not None and series.get_translation_or_none(english) is None:
        translation = series.copy_for_translation(english)
        translation.name = spec.name_en
        translation.item_name = spec.item_name_en
        translation.description = ""
        translation.save()
    return series


def _publication_ensure(
    spec: programme.DemoPublication,
    order: int,
    index: PublicationIndexPage,
    series: dict[str, PublicationSeries],
    experts: dict[str, Expert],
    vocabulary: _Vocabulary,
    summary: ProgrammeSummary,
) -> PublicationPage:
    existing = (
        PublicationPage.objects.filter(
            series=series[spec.series],
            number=spec.number,
            year=spec.year,
            locale=Locale.get_default(),
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    chapters = [(chapter.heading, chapter.paragraphs) for chapter in spec.chapters]
    document = pdf_document(
        spec.title, demo_pdf(spec.title, [spec.abstract], chapters), file_name=f"{spec.key}.pdf"
    )
    cover = _image_ensure(
        ImageDraft(
            filename=f"{spec.key}-cover.png",
            caption="",
            credit="Центр евразийских исследований",
            alt="",
            data=_portrait(render(COVER_KINDS[order % len(COVER_KINDS)], 300 + order)),  # type: ignore[arg-type]
        ),
        [],
    )
    page = PublicationPage(
        title=spec.title,
        slug=spec.key,
        series=series[spec.series],
        number=spec.number,
        year=spec.year,
        publication_date=datetime.date(spec.year, spec.month, spec.day),
        abstract=spec.abstract,
        pdf=document,
        cover=cover,
        isbn=spec.isbn,
        doi=spec.doi,
    )
    for position, key in enumerate(spec.authors):
        page.authors.add(PublicationAuthor(expert=experts[key], sort_order=position))
    page.countries = [vocabulary.countries[code] for code in spec.countries]  # type: ignore[assignment]
    page.regions = [vocabulary.regions[slug] for slug in spec.regions]  # type: ignore[assignment]
    page.topics = [vocabulary.topics[slug] for slug in spec.topics]  # type: ignore[assignment]
    publication_pdf_refresh(page)
    page.print_edition = PUBLISHER_LINE.format(year=spec.year, pages=page.page_count or "")
    index.add_child(instance=page)
    page.save_revision().publish()
    summary.publications_created += 1
    return page


def _portrait(picture: bytes) -> bytes:
    """The middle of a landscape demo picture, cut to a report cover's 3:4."""
    with PillowImage.open(io.BytesIO(picture)) as image:
        width, height = image.size
        cover_width = min(width, height * 3 // 4)
        left = (width - cover_width) // 2
        output = io.BytesIO()
        image.crop((left, 0, left + cover_width, height)).save(output, format="PNG")
    return output.getvalue()


def _publication_translation_ensure(
    spec: programme.DemoPublication,
    source: PublicationPage,
    english: Locale,
    summary: ProgrammeSummary,
) -> None:
    if source.get_translation_or_none(english) is not None:
        return
    translation = source.copy_for_translation(english)
    translation.title = translation.draft_title = spec.title_en
    translation.slug = spec.key
    translation.abstract = spec.abstract_en
    translation.print_edition = PUBLISHER_LINE_EN.format(
        year=spec.year, pages=source.page_count or ""
    )
    translation.save()
    translation.save_revision().publish()
    summary.translations_created += 1


# --- events ------------------------------------------------------------------


def _event_start(spec: programme.DemoEvent) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=spec.days_from_load)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(spec.start_hour)))


def _paragraphs(texts: tuple[str, ...]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _event_ensure(
    spec: programme.DemoEvent,
    index: EventIndexPage,
    experts: dict[str, Expert],
    vocabulary: _Vocabulary,
    summary: ProgrammeSummary,
) -> EventPage:
    slug = latin_slug(spec.key)
    existing = EventPage.objects.child_of(index).filter(slug=slug).first()
    if existing is not None:
        return existing.specific  # type: ignore[no-any-return]
    start = _event_start(spec)
    event = EventPage(
        title=spec.title,
        slug=slug,
        kind=spec.kind,
        start=start,
        end=start + datetime.timedelta(hours=spec.duration_hours),
        place=spec.place,
        online_url=spec.online_url,
        lead=spec.description,
        registration_open=spec.registration_open,
        capacity=spec.capacity or None,
        video_url=spec.video_url,
        write_up=_paragraphs(spec.transcript),
    )
    if spec.resulting_publication:
        event.resulting_publication = _publication(spec.resulting_publication)
    participants = [(key, ParticipantRole.SPEAKER) for key in spec.speakers]
    participants += [(key, ParticipantRole.MODERATOR) for key in spec.moderators]
    for order, (key, role) in enumerate(participants):
        event.participants.add(EventParticipant(expert=experts[key], role=role, sort_order=order))
    for order, (name, affiliation, _, _) in enumerate(spec.guests, start=len(participants)):
        event.participants.add(
            EventParticipant(
                name=name, affiliation=affiliation, role=ParticipantRole.SPEAKER, sort_order=order
            )
        )
    for order, label in enumerate(spec.questions):
        event.questions.add(EventQuestion(label=label, sort_order=order))
    for order, key in enumerate(spec.publications):
        event.related_pages.add(EventRelatedPage(related=_publication(key), sort_order=order))
    event.countries = [vocabulary.countries[code] for code in spec.countries]  # type: ignore[assignment]
    event.topics = [vocabulary.topics[slug] for slug in spec.topics]  # type: ignore[assignment]
    index.add_child(instance=event)
    event.save_revision().publish()
    summary.events_created += 1
    return event


def _publication(key: str) -> Page:
    spec = next(item for item in programme.PUBLICATIONS if item.key == key)
    return PublicationPage.objects.get(
        series__slug=spec.series,
        locale=Locale.get_default(),
        number=spec.number,
        year=spec.year,
    )


def _event_translation_ensure(
    spec: programme.DemoEvent, source: EventPage, english: Locale, summary: ProgrammeSummary
) -> None:
    if source.get_translation_or_none(english) is not None:
        return
    translation = source.copy_for_translation(english)
    translation.title = translation.draft_title = spec.title_en
    translation.slug = spec.key
    translation.lead = spec.description_en
    translation.place = spec.place_en
    translation.write_up = ""
    guests = {name: (name_en, affiliation_en) for name, _, name_en, affiliation_en in spec.guests}
    for participant in translation.participants.all():
        if participant.name in guests:
            participant.name, participant.affiliation = guests[participant.name]
            participant.save()
    for question in translation.questions.all():
        question.label = "What would you like to ask the speakers?"
        question.save()
    # Related pages in the reader's language where they are translated.
    for related in translation.related_pages.all():
        related.related = related.related.get_translation_or_none(english) or related.related
        related.save()
    if translation.resulting_publication is not None:
        translation.resulting_publication = (
            translation.resulting_publication.get_translation_or_none(english)
            or translation.resulting_publication
        )
    translation.save()
    translation.save_revision().publish()
    summary.translations_created += 1
