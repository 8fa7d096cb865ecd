"""The running tallies: equal to the rows they count after every write, and repaired if not."""

from __future__ import annotations

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest

from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase

from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.models import Ballot, BallotChoice, BallotCount, ChoiceCount, Poll
from vestnik.polls.selectors import poll_results
from vestnik.polls.services import ballot_cast, ballots_delete, poll_tallies_recount


def tallies(poll: Poll) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """The poll's non-zero tallies: ballots by audience, choices by (audience, option)."""
    ballots = {
        row.audience: row.count for row in BallotCount.objects.filter(poll=poll) if row.count
    }
    choices = {
        (row.audience, row.option_id): row.count
        for row in ChoiceCount.objects.filter(poll=poll)
        if row.count
    }
    return ballots, choices


class TallyTests(TestCase):
    def setUp(self) -> None:
        self.poll = poll_with_options(
            "Q", ["Первый", "Второй", "Третий"], max_choices=2, ask_audience=True
        )
        self.a, self.b, self.c = self.poll.options.all()
        self.other = poll_with_options("Другой", ["Да", "Нет"])
        self.yes, self.no = self.other.options.all()

    def vote(self, number: int, *options: int, audience: str | None = None) -> None:
        ballot_cast(
            poll=self.poll, option_ids=options, respondent=respondent(number), audience=audience
        )

    def test_a_ballot_adds_to_its_audiences_tallies_in_the_same_write(self) -> None:
        self.vote(1, self.b.pk, self.a.pk, audience="student")
        self.vote(2, self.a.pk)
        self.vote(3, self.c.pk, audience="student")
        self.assertEqual(
            tallies(self.poll),
            (
                {"student": 2, "": 1},
                {
                    ("student", self.a.pk): 1,
                    ("student", self.b.pk): 1,
                    ("student", self.c.pk): 1,
                    ("", self.a.pk): 1,
                },
            ),
        )
        self.assertEqual(poll_tallies_recount(fix=False), [])

    def test_a_refused_ballot_changes_no_tally(self) -> None:
        self.vote(1, self.a.pk)
        before = tallies(self.poll)
        for options in ([self.a.pk, self.b.pk, self.c.pk], [self.yes.pk], [self.a.pk]):
            with pytest.raises(Exception, match=r"too_many|foreign_option|already_voted"):
                self.vote(1 if options == [self.a.pk] else 2, *options)
        self.assertEqual(tallies(self.poll), before)

    def test_deleting_ballots_lowers_exactly_their_tallies(self) -> None:
        self.vote(1, self.a.pk, self.b.pk, audience="business")
        self.vote(2, self.a.pk, audience="business")
        self.vote(3, self.c.pk)
        ballot_cast(poll=self.other, option_ids=[self.yes.pk], respondent=respondent(1))
        deleted = ballots_delete(ballots=Ballot.objects.filter(respondent_key=respondent(1).key))
        self.assertEqual(deleted, 2)
        self.assertEqual(
            tallies(self.poll),
            ({"business": 1, "": 1}, {("business", self.a.pk): 1, ("", self.c.pk): 1}),
        )
        self.assertEqual(tallies(self.other), ({}, {}))
        results = poll_results(self.poll)
        self.assertEqual(results.respondents, 2)
        self.assertEqual([o.count for o in results.options], [1, 0, 1])
        self.assertEqual(poll_tallies_recount(fix=False), [])
        self.assertEqual(ballots_delete(ballots=Ballot.objects.none()), 0)

    def test_deleting_a_poll_takes_its_tallies_and_leaves_the_others(self) -> None:
        self.vote(1, self.a.pk)
        ballot_cast(poll=self.other, option_ids=[self.no.pk], respondent=respondent(1))
        self.poll.delete()
        self.assertFalse(BallotCount.objects.filter(poll_id=self.a.poll_id).exists())
        self.assertFalse(ChoiceCount.objects.filter(option_id=self.a.pk).exists())
        self.assertEqual(tallies(self.other), ({"": 1}, {("", self.no.pk): 1}))
        self.assertEqual(poll_tallies_recount(fix=False), [])

    def test_recount_reports_drift_and_repairs_it(self) -> None:
        self.vote(1, self.a.pk, audience="other")
        self.vote(2, self.b.pk)
        # Rows changed behind the services' back: a choice removed, a tally bumped.
        BallotChoice.objects.filter(option=self.b).delete()
        BallotCount.objects.filter(poll=self.poll, audience="other").update(count=5)
        drift = poll_tallies_recount(fix=False)
        self.assertEqual(
            {(d.audience, d.option_id, d.kept, d.counted) for d in drift},
            {("other", None, 5, 1), ("", self.b.pk, 1, 0)},
        )
        self.assertEqual(len(poll_tallies_recount(fix=True)), 2)
        self.assertEqual(poll_tallies_recount(fix=False), [])
        self.assertEqual(poll_results(self.poll).respondents, 2)

    def test_recount_creates_tallies_missing_for_rows(self) -> None:
        self.vote(1, self.a.pk, audience="student")
        BallotCount.objects.all().delete()
        ChoiceCount.objects.all().delete()
        poll_tallies_recount(fix=True)
        self.assertEqual(tallies(self.poll), ({"student": 1}, {("student", self.a.pk): 1}))


class RecountCommandTests(TestCase):
    def test_check_reports_and_fails_then_a_recount_repairs(self) -> None:
        poll = poll_with_options("Q", ["Да", "Нет"])
        yes = poll.options.first()
        assert yes is not None
        ballot_cast(poll=poll, option_ids=[yes.pk], respondent=respondent(1))
        out = StringIO()
        call_command("polls_recount", "--check", stdout=out)
        self.assertIn("agree", out.getvalue())
        ChoiceCount.objects.update(count=3)
        out = StringIO()
        with pytest.raises(CommandError, match="1 tallies disagree"):
            call_command("polls_recount", "--check", "--poll", str(poll.number), stdout=out)
        self.assertIn(f"option {yes.pk}, audience -: kept 3, rows 1", out.getvalue())
        out = StringIO()
        call_command("polls_recount", stdout=out)
        self.assertIn("Repaired 1 tallies.", out.getvalue())
        self.assertEqual(ChoiceCount.objects.get().count, 1)
        with pytest.raises(CommandError, match="No poll numbered 999"):
            call_command("polls_recount", "--poll", "999")


class BackfillMigrationTests(TestCase):
    """0002 fills the tallies from the ballots cast before it."""

    def test_tallies_are_counted_from_existing_ballots(self) -> None:
        backfill = importlib.import_module("vestnik.polls.migrations.0002_tallies")
        poll = poll_with_options("Q", ["A", "B"], ask_audience=True, max_choices=2)
        a, b = poll.options.all()
        for number, (audience, picks) in enumerate(
            [("student", [a, b]), ("student", [a]), ("", [b])]
        ):
            ballot_cast(
                poll=poll,
                option_ids=[pick.pk for pick in picks],
                respondent=respondent(number),
                audience=audience,
            )
        # As the tables stand right after 0002 created them: ballots, no tallies.
        BallotCount.objects.all().delete()
        ChoiceCount.objects.all().delete()
        # The function reads only the editor's connection (a real editor cannot
        # open inside the test's transaction on SQLite).
        backfill.tallies_from_rows(django_apps, SimpleNamespace(connection=connection))
        self.assertEqual(
            tallies(poll),
            ({"student": 2, "": 1}, {("student", a.pk): 2, ("student", b.pk): 1, ("", b.pk): 1}),
        )
        self.assertEqual(poll_tallies_recount(fix=False), [])
