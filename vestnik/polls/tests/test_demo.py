"""The demo polls load_demo creates."""

from __future__ import annotations

from django.test import TestCase

from vestnik.polls.demo import demo_polls_ensure
from vestnik.polls.models import Ballot, Poll
from vestnik.polls.selectors import poll_results, site_poll


class DemoPollsTests(TestCase):
    def test_an_open_site_wide_poll_and_closed_ones_with_ballots_once(self) -> None:
        demo_polls_ensure()
        ballots = Ballot.objects.count()
        demo_polls_ensure()
        self.assertEqual(Poll.objects.count(), 3)
        self.assertEqual(Ballot.objects.count(), ballots)

        current = site_poll()
        assert current is not None
        self.assertTrue(current.is_open())
        self.assertTrue(current.is_multiple)
        self.assertEqual(current.max_choices, 3)
        closed = [poll for poll in Poll.objects.all() if poll.is_closed()]
        self.assertEqual(len(closed), 2)
        for poll in closed:
            results = poll_results(poll)
            self.assertGreater(results.respondents or 0, 100)
            self.assertEqual(results.respondents, poll.ballots.count())
            # Generated ballots obey the poll's own rules.
            for ballot in poll.ballots.prefetch_related("choices"):
                self.assertLessEqual(len(ballot.choices.all()), poll.choices_allowed)
