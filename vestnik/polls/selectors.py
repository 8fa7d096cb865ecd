"""Poll reads: which poll the site shows, the archive, and results.

Results of a live poll are read from its running tallies (`BallotCount`,
`ChoiceCount`): one query of O(options × audiences) rows, however many ballots
there are. Percentages are of respondents, so a multiple-choice poll sums past 100%, as
on the reference page: «228 (66.67%)» of 342 respondents.

A poll is one row in both languages, so results are the same numbers in both;
only the texts follow the reader (`Poll.text_language`), and the English
archive and site widget offer only polls that have an English text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.db import connection
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from vestnik.core.locales import content_language
from vestnik.polls.models import Audience, Ballot, BallotCount, ChoiceCount, Poll, PollOption

HUNDREDTH = Decimal("0.01")


def percent_of(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def count_label(count: int, percent: Decimal | None) -> str:
    """«228 (66.67%)»: the count, then the share of respondents with two decimals.

    The same in every language (the reference page uses a decimal point in
    Russian too), so it is formatted here rather than localised in templates.
    """
    return f"{count} ({percent}%)" if percent is not None else str(count)


@dataclass(frozen=True)
class OptionTally:
    id: int
    text: str  # in the language the poll is shown in
    count: int
    percent: Decimal | None  # of respondents
    share: Decimal | None  # of all votes cast, for multiple choice

    @property
    def label(self) -> str:
        return count_label(self.count, self.percent)

    @property
    def bar_width(self) -> str:
        """The CSS width of the bar, never localised ("66.67", not "66,67")."""
        return f"{min(self.percent or Decimal(0), Decimal(100))}"

    @property
    def share_label(self) -> str:
        return f"{self.share}%" if self.share is not None else ""


@dataclass(frozen=True)
class AudienceTally:
    code: str
    label: str
    respondents: int
    options: list[OptionTally]


@dataclass(frozen=True)
class PollResults:
    poll_id: int
    language: str  # of the option texts (`Poll.text_language`)
    respondents: int | None
    votes: int
    options: list[OptionTally]
    imported: bool = False
    audiences: list[AudienceTally] = field(default_factory=list)


class _Tally(TypedDict):
    respondents: dict[str, int]  # audience code ("" when not given) -> ballots
    choices: dict[str, dict[int, int]]  # audience code -> option id -> choices


def _tally_read(poll_id: int) -> _Tally:
    """A poll's running tallies in one round trip (the JSON vote's hot path)."""
    tally: _Tally = {"respondents": {}, "choices": {}}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT audience, NULL, count FROM {BallotCount._meta.db_table} WHERE poll_id = %s"  # noqa: S608 (names from the models)
            f" UNION ALL SELECT audience, option_id, count FROM {ChoiceCount._meta.db_table}"
            " WHERE poll_id = %s",
            [poll_id, poll_id],
        )
        for audience, option_id, count in cursor.fetchall():
            if option_id is None:
                tally["respondents"][audience] = count
            else:
                tally["choices"].setdefault(audience, {})[option_id] = count
    return tally


@dataclass(frozen=True)
class OptionRow:
    """What results need of an option, read without building a model instance."""

    id: int
    text: str
    text_en: str
    imported_votes: int | None

    def text_in(self, shown: str) -> str:
        """As `PollOption.text_in`."""
        return (self.text_en or self.text) if shown == "en" else self.text


def poll_options(poll: Poll) -> list[Any]:
    """The poll's options in their order: the prefetched (or unsaved) ones, else one raw read.

    The vote endpoint reads only the poll row; its JSON answer needs the
    options, and a raw query costs a fraction of Django's prefetch machinery
    (docs/performance.md, "Polls").
    """
    if (
        "options" in getattr(poll, "_prefetched_objects_cache", {})
        or getattr(poll, "_cluster_related_objects", {}).get("options") is not None
    ):
        return list(poll.options.all())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, text, text_en, imported_votes FROM {PollOption._meta.db_table}"  # noqa: S608 (names from the models)
            " WHERE poll_id = %s ORDER BY sort_order, id",
            [poll.pk],
        )
        return [OptionRow(*row) for row in cursor.fetchall()]


def _option_tallies(
    options: list[Any],
    counts: dict[int, int],
    respondents: int | None,
    *,
    with_share: bool,
    shown: str,
) -> list[OptionTally]:
    votes = sum(counts.get(option.id, 0) for option in options)
    return [
        OptionTally(
            id=option.id,
            text=option.text_in(shown),
            count=counts.get(option.id, 0),
            percent=percent_of(counts.get(option.id, 0), respondents),
            share=percent_of(counts.get(option.id, 0), votes) if with_share else None,
        )
        for option in options
    ]


def poll_results(poll: Poll, *, language: str | None = None) -> PollResults:
    """Counts and percentages of a poll, as of the last committed ballot.

    The counts are the same in every language; the option texts are those a
    reader of `language` (by default the reader's) sees. Imported polls report
    their archived totals and nothing else: live ballots and imported numbers
    are never added together.
    """
    options = poll_options(poll)
    shown = poll.text_language(language or content_language())
    if poll.imported:
        counts = {option.id: option.imported_votes or 0 for option in options}
        return PollResults(
            poll_id=poll.pk,
            language=shown,
            respondents=poll.imported_respondents,
            votes=sum(counts.values()),
            options=_option_tallies(
                options,
                counts,
                poll.imported_respondents,
                with_share=poll.is_multiple,
                shown=shown,
            ),
            imported=True,
        )
    tally = _tally_read(poll.pk)
    respondents = sum(tally["respondents"].values())
    totals: dict[int, int] = {}
    for by_option in tally["choices"].values():
        for option_id, count in by_option.items():
            totals[option_id] = totals.get(option_id, 0) + count
    audiences = []
    if poll.ask_audience:
        for code, label in [*Audience.choices, ("", "—")]:
            answered = tally["respondents"].get(code, 0)
            if code == "" and not answered:
                continue
            audiences.append(
                AudienceTally(
                    code=code,
                    label=str(label),
                    respondents=answered,
                    options=_option_tallies(
                        options,
                        tally["choices"].get(code, {}),
                        answered,
                        with_share=False,
                        shown=shown,
                    ),
                )
            )
    return PollResults(
        poll_id=poll.pk,
        language=shown,
        respondents=respondents,
        votes=sum(totals.values()),
        options=_option_tallies(
            options, totals, respondents, with_share=poll.is_multiple, shown=shown
        ),
        audiences=audiences,
    )


def poll_has_ballots(poll: Poll) -> bool:
    return Ballot.objects.filter(poll=poll).exists()


def respondent_has_voted(*, poll: Poll, respondent_key: str) -> bool:
    return Ballot.objects.filter(poll=poll, respondent_key=respondent_key).exists()


def _with_options(queryset: QuerySet[Poll]) -> QuerySet[Poll]:
    return queryset.prefetch_related("options")


def polls_in_language(language: str | None = None) -> QuerySet[Poll]:
    """Polls a listing in `language` (by default the reader's) offers.

    Every poll has its Russian text; only those with an English question are
    offered to English readers, so the English archive and widget never show
    a Russian poll in English chrome. A poll without one can still be reached
    by its own URL and from an English article that carries it (shown in
    Russian, marked so).
    """
    if (language or content_language()) == "en":
        return Poll.objects.exclude(question_en="")
    return Poll.objects.all()


def current_site_poll(
    now: datetime.datetime | None = None, *, language: str | None = None
) -> Poll | None:
    """The newest open poll that editors chose to show site-wide."""
    now = now or timezone.now()
    open_polls = (
        polls_in_language(language)
        .filter(site_wide=True, imported=False, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    )
    return _with_options(open_polls).order_by("-opens_at", "-number").first()


def latest_closed_poll(
    now: datetime.datetime | None = None, *, language: str | None = None
) -> Poll | None:
    """The poll shown as «Прошедший опрос» when none is open."""
    now = now or timezone.now()
    closed = (
        polls_in_language(language)
        .filter(site_wide=True)
        .filter(Q(imported=True) | Q(closes_at__lte=now))
    )
    return _with_options(closed).order_by("-closes_at", "-number").first()


def site_poll(now: datetime.datetime | None = None, *, language: str | None = None) -> Poll | None:
    now = now or timezone.now()
    return current_site_poll(now, language=language) or latest_closed_poll(now, language=language)


def polls_next_change(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The next moment a poll opens or closes: what the site shows of polls changes then.

    A cached rendering of a poll or of the site's poll widget expires by it
    (`core.fragments.expires_at`); nothing is saved at that moment to purge it.
    """
    now = now or timezone.now()
    moments = Poll.objects.aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    upcoming = [moment for moment in moments.values() if moment is not None]
    return min(upcoming) if upcoming else None


def poll_archive(
    now: datetime.datetime | None = None, *, language: str | None = None
) -> QuerySet[Poll]:
    """Every poll that has opened in the language (`polls_in_language`), newest first.

    Scheduled ones stay hidden until they open.
    """
    now = now or timezone.now()
    opened = polls_in_language(language).filter(opens_at__lte=now)
    return _with_options(opened).order_by("-opens_at", "-number")


def poll_for_ballot(poll_id: int) -> Poll | None:
    """The poll row alone, as cheaply as Django can read it: the vote endpoint's hot path.

    A raw query by primary key skips compiling a queryset, which costs more CPU
    than the whole ballot's write (docs/performance.md, "Polls").
    """
    table = Poll._meta.db_table
    return next(iter(Poll.objects.raw(f"SELECT * FROM {table} WHERE id = %s", [poll_id])), None)  # noqa: S608 (the id is a parameter)


def poll_for_display(poll_id: int) -> Poll | None:
    return _with_options(Poll.objects.filter(pk=poll_id)).first()
