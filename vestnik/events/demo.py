"""Demo events: one upcoming with open registration, one past with a write-up.

Idempotent (found again by slug). `load_demo` calls `demo_events_ensure(index)`
with the Russian events index, and may pass experts to speak.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from vestnik.events.factories import event_page
from vestnik.events.models import EventIndexPage, EventKind, EventPage, ParticipantRole

UPCOMING_SLUG = "kaspiyskiy-tranzit-kruglyy-stol"
PAST_SLUG = "prezentatsiya-doklada-o-evraziyskoy-logistike"


@dataclass(frozen=True)
class DemoEvents:
    upcoming: EventPage
    past: EventPage

    def __str__(self) -> str:
        return f"Events: «{self.upcoming.title}» (registration open), «{self.past.title}» (past)."


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def demo_events_ensure(index: EventIndexPage, experts: Sequence[Any] = ()) -> DemoEvents:
    speakers = [{"expert": expert, "role": ParticipantRole.SPEAKER} for expert in experts[:2]]
    upcoming = EventPage.objects.child_of(index).filter(slug=UPCOMING_SLUG).first()
    if upcoming is None:
        upcoming = event_page(
            index,
            title="Каспийский транзит: новые маршруты и старые риски",
            slug=UPCOMING_SLUG,
            kind=EventKind.ROUND_TABLE,
            start=_at(14, 15),
            hours=2,
            place="Москва, ул. Тверская, 1, конференц-зал",
            online_url="https://example.org/live/caspian",
            lead="Эксперты обсуждают Транскаспийский маршрут и его пропускную способность.",
            description="<p>Круглый стол о логистике между Центральной Азией и Кавказом.</p>",
            registration_open=True,
            capacity=40,
            participants=[
                *speakers,
                {
                    "name": "Анна Гостева",
                    "affiliation": "Институт транспортной политики",
                    "role": ParticipantRole.MODERATOR,
                },
            ],
            questions=["Какой вопрос вы хотели бы задать спикерам?"],
        )
    past = EventPage.objects.child_of(index).filter(slug=PAST_SLUG).first()
    if past is None:
        past = event_page(
            index,
            title="Презентация доклада о евразийской логистике",
            slug=PAST_SLUG,
            kind=EventKind.PRESENTATION,
            start=_at(-30, 12),
            hours=2,
            place="Москва, ул. Тверская, 1",
            lead="Авторы представили доклад и ответили на вопросы.",
            participants=speakers,
            video_url="https://rutube.ru/video/demo/",
            write_up=(
                "<h2>Стенограмма</h2><p>Ведущий открыл презентацию и предоставил слово авторам.</p>"
                "<p>Авторы рассказали о главных выводах доклада.</p>"
            ),
        )
    return DemoEvents(upcoming=upcoming, past=past)
