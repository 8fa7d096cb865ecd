"""Demo polls: one open site-wide poll and two closed ones for the archive.

The ballots are generated (seeded, so every install looks the same) and
written as ordinary ballot rows; the running tallies are then counted from
them (`services.poll_tallies_recount`). Respondent keys start with "demo:" so
they can be told apart and removed (`services.ballots_delete`).

Two of the three polls have English texts (`services.poll_english_set`), so the
English archive and widget have polls to show; the third stays Russian-only,
as an untranslated poll does (docs/polls.md, "Two languages").
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vestnik.polls.models import (
    Audience,
    Ballot,
    BallotChoice,
    Poll,
    PollKind,
    PollOption,
    ResultsVisibility,
)
from vestnik.polls.services import poll_english_set, poll_tallies_recount


@dataclass(frozen=True)
class DemoPoll:
    question: str
    options: tuple[tuple[str, int], ...]  # option text, relative popularity
    max_choices: int
    opened_days_ago: int
    closed_days_ago: int | None
    ballots: int
    ask_audience: bool = False
    method_note: str = ""
    # The English question, then each option's English text in order; empty: not translated.
    english: tuple[str, ...] = ()


DEMO_POLLS = (
    DemoPoll(
        question="Станет ли Арктика в ближайшее десятилетие скорее зоной сотрудничества "
        "или соперничества?",
        options=(
            ("Скорее сотрудничества", 31),
            ("Скорее соперничества", 44),
            ("И того и другого в равной мере", 19),
            ("Затрудняюсь ответить", 6),
        ),
        max_choices=1,
        opened_days_ago=150,
        closed_days_ago=100,
        ballots=412,
        ask_audience=True,
        english=(
            "Will the Arctic be more a zone of cooperation or of rivalry over the next decade?",
            "Of cooperation, rather",
            "Of rivalry, rather",
            "Both in equal measure",
            "Hard to say",
        ),
    ),
    DemoPoll(
        question="Какие регионы станут главными торговыми партнерами России к 2030 году?",
        options=(
            ("Восточная и Юго-Восточная Азия", 70),
            ("Южная Азия", 41),
            ("Страны Персидского залива", 28),
            ("Африка", 17),
            ("Латинская Америка", 9),
            ("Страны СНГ", 35),
        ),
        max_choices=2,
        opened_days_ago=80,
        closed_days_ago=30,
        ballots=287,
    ),
    DemoPoll(
        question="Какие факторы сильнее всего повлияют на развитие Евразийского "
        "экономического союза в ближайшие пять лет?",
        options=(
            ("Новые транспортные коридоры «Север — Юг» и «Восток — Запад»", 52),
            ("Расчеты в национальных валютах", 47),
            ("Технологическое сотрудничество", 30),
            ("Общий энергетический рынок", 26),
            ("Трудовая миграция", 21),
            ("Связь с китайской инициативой «Пояс и путь»", 33),
            ("Внешнее санкционное давление", 38),
        ),
        max_choices=3,
        opened_days_ago=5,
        closed_days_ago=None,
        ballots=96,
        ask_audience=True,
        method_note="Открытый опрос читателей сайта; выборка не репрезентативна.",
        english=(
            "Which factors will most shape the Eurasian Economic Union over the next five years?",
            "The new North–South and East–West transport corridors",
            "Settlements in national currencies",
            "Technological cooperation",
            "A common energy market",
            "Labour migration",
            "Links with China's Belt and Road Initiative",
            "External sanctions pressure",
        ),
    ),
)


def _ballots_generate(poll: Poll, spec: DemoPoll, *, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (seeded so every demo looks the same; no secret)
    options = list(poll.options.order_by("sort_order"))
    weights = [weight for _, weight in spec.options]
    start = poll.opens_at
    end = poll.closes_at or timezone.now()
    span = max((end - start).total_seconds(), 1.0)
    audiences = [*Audience.values, ""]
    ballots = []
    picks: list[list[PollOption]] = []
    for number in range(spec.ballots):
        count = rng.randint(1, spec.max_choices)
        chosen: list[PollOption] = []
        while len(chosen) < count:
            option = rng.choices(options, weights=weights)[0]
            if option not in chosen:
                chosen.append(option)
        audience = rng.choice(audiences) if spec.ask_audience else ""
        ballots.append(
            Ballot(
                poll=poll,
                respondent_key=f"demo:{poll.pk}:{number}",
                audience=audience,
                created_at=start + datetime.timedelta(seconds=rng.uniform(0, span)),
            )
        )
        picks.append(chosen)
    Ballot.objects.bulk_create(ballots)
    # bulk_create does not return ids on every backend; read them back by key.
    ids = dict(Ballot.objects.filter(poll=poll).values_list("respondent_key", "id"))
    BallotChoice.objects.bulk_create(
        BallotChoice(
            ballot_id=ids[ballot.respondent_key], poll=poll, option=option, audience=ballot.audience
        )
        for ballot, chosen in zip(ballots, picks, strict=True)
        for option in chosen
    )


@transaction.atomic
def demo_polls_ensure() -> None:
    """Create the demo polls once; a second run changes nothing."""
    now = timezone.now()
    for index, spec in enumerate(DEMO_POLLS):
        existing = Poll.objects.filter(question=spec.question).first()
        if existing is not None:
            # An install from before English polls gets the English texts, once.
            if spec.english and not existing.has_english:
                _english_set(existing, spec)
            continue
        poll = Poll.objects.create(
            question=spec.question,
            method_note=spec.method_note,
            kind=PollKind.MULTIPLE if spec.max_choices > 1 else PollKind.SINGLE,
            max_choices=spec.max_choices,
            opens_at=now - datetime.timedelta(days=spec.opened_days_ago),
            closes_at=(
                now - datetime.timedelta(days=spec.closed_days_ago)
                if spec.closed_days_ago is not None
                else None
            ),
            results_visibility=ResultsVisibility.AFTER_VOTING,
            ask_audience=spec.ask_audience,
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, text=text, sort_order=order)
            for order, (text, _) in enumerate(spec.options)
        )
        _ballots_generate(poll, spec, seed=2025 + index)
        poll_tallies_recount(poll_ids=[poll.pk], fix=True)
        if spec.english:
            _english_set(poll, spec)


def _english_set(poll: Poll, spec: DemoPoll) -> None:
    question, *options = spec.english
    note = "An open poll of the site's readers; the sample is not representative."
    poll_english_set(
        poll=poll,
        question=question,
        option_texts=options,
        method_note=note if spec.method_note else None,
    )
