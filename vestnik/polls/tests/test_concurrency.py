"""Ballots under concurrent load: nothing lost, nothing counted twice, no deadlock,
and the running tallies equal to the rows however the writes interleave.

Each thread has its own database connection (see the `threaded_db` fixture,
which gives SQLite a file the threads can share). Run on PostgreSQL with
DATABASE_URL=postgres://…/polls_dev as well.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from tests import harness
from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.models import Audience, Ballot, BallotChoice
from vestnik.polls.selectors import poll_results
from vestnik.polls.services import (
    BallotRefused,
    ballot_cast,
    ballots_delete,
    poll_tallies_recount,
)

VOTERS = 64
RACERS = 20

# Real commits, so that other threads see the poll. `available_apps` limits the
# flush after each test to the polls tables: the rest of the test database (the
# Wagtail root page and site from migrations) stays for the tests that follow.
threaded = pytest.mark.django_db(transaction=True, available_apps=["vestnik.polls"])


def run_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    return harness.run_at_once(count, work, what="a voter")


@threaded
def test_concurrent_ballots_from_different_respondents_are_all_counted(threaded_db: None) -> None:
    poll = poll_with_options("Q", [f"Вариант {n}" for n in range(6)], max_choices=3)
    option_ids = list(poll.options.values_list("id", flat=True))

    def choices(index: int) -> list[int]:
        # Every voter picks 1–3 options, overlapping heavily, in varying order:
        # the pattern that deadlocks naive multi-row counter updates.
        picks = [option_ids[(index + step * 2) % len(option_ids)] for step in range(index % 3 + 1)]
        return picks[::-1] if index % 2 else picks

    outcomes = run_at_once(
        VOTERS,
        lambda i: ballot_cast(poll=poll, option_ids=choices(i), respondent=respondent(i)),
    )
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert errors == []

    expected = Counter(option for i in range(VOTERS) for option in choices(i))
    results = poll_results(poll)
    assert results.respondents == VOTERS
    assert {o.id: o.count for o in results.options} == {o: expected[o] for o in option_ids}
    assert Ballot.objects.count() == VOTERS
    assert BallotChoice.objects.count() == sum(expected.values())
    assert poll_tallies_recount(fix=False) == []


@threaded
def test_voters_of_every_audience_at_once_keep_the_tallies_equal_to_the_rows(
    threaded_db: None,
) -> None:
    # Every audience has its own tally rows: voters queue per audience and
    # across them, in both lock orders a naive writer could take.
    poll = poll_with_options(
        "Q", [f"Вариант {n}" for n in range(5)], max_choices=3, ask_audience=True
    )
    option_ids = list(poll.options.values_list("id", flat=True))
    audiences = [*Audience.values, ""]

    def cast(index: int) -> Any:
        picks = [option_ids[(index * 3 + step) % len(option_ids)] for step in range(index % 3 + 1)]
        return ballot_cast(
            poll=poll,
            option_ids=picks[::-1] if index % 2 else picks,
            respondent=respondent(index),
            audience=audiences[index % len(audiences)],
        )

    outcomes = run_at_once(VOTERS, cast)
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert poll_tallies_recount(fix=False) == []
    assert poll_results(poll).respondents == VOTERS


@threaded
def test_deleting_and_recounting_while_voters_vote_keeps_the_tallies_exact(
    threaded_db: None,
) -> None:
    poll = poll_with_options("Q", ["Да", "Нет", "Не знаю"], max_choices=2)
    option_ids = list(poll.options.values_list("id", flat=True))
    early = 16
    for index in range(early):
        ballot_cast(poll=poll, option_ids=[option_ids[index % 3]], respondent=respondent(index))

    def work(index: int) -> Any:
        if index == 0:
            # Every early ballot of an even number, while the others keep voting.
            keys = [respondent(n).key for n in range(0, early, 2)]
            return ballots_delete(ballots=Ballot.objects.filter(respondent_key__in=keys))
        if index == 1:
            return poll_tallies_recount(fix=True)
        picks = option_ids[index % 3 :][:2]
        return ballot_cast(poll=poll, option_ids=picks, respondent=respondent(early + index))

    outcomes = run_at_once(VOTERS, work)
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert outcomes[0] == early // 2
    assert outcomes[1] == [], "a recount found drift under load"
    assert poll_tallies_recount(fix=False) == []
    assert poll_results(poll).respondents == early // 2 + VOTERS - 2


@threaded
def test_one_respondent_racing_twenty_ballots_gets_exactly_one_counted(threaded_db: None) -> None:
    poll = poll_with_options("Q", ["Да", "Нет"])
    yes, no = poll.options.values_list("id", flat=True)
    same = respondent(1)

    outcomes = run_at_once(
        RACERS,
        lambda i: ballot_cast(poll=poll, option_ids=[yes if i % 2 else no], respondent=same),
    )
    accepted = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, BallotRefused)]
    assert len(accepted) == 1
    assert len(refused) == RACERS - 1
    assert {r.code for r in refused} == {"already_voted"}
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 1
    assert poll_results(poll).respondents == 1
    assert poll_tallies_recount(fix=False) == []
