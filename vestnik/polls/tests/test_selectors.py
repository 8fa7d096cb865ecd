"""Results arithmetic, the site widget's choice of poll, the archive."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.models import ResultsVisibility
from vestnik.polls.selectors import (
    count_label,
    current_site_poll,
    latest_closed_poll,
    percent_of,
    poll_archive,
    poll_results,
    site_poll,
)
from vestnik.polls.services import ballot_cast


class ArithmeticTests(TestCase):
    def test_percent_of_respondents_has_two_decimals_rounded_half_up(self) -> None:
        self.assertEqual(percent_of(228, 342), Decimal("66.67"))
        self.assertEqual(percent_of(1, 8), Decimal("12.50"))
        self.assertEqual(percent_of(1, 3), Decimal("33.33"))
        self.assertEqual(percent_of(2, 3), Decimal("66.67"))
        self.assertIsNone(percent_of(5, 0))

    def test_label_reads_like_the_reference_page(self) -> None:
        self.assertEqual(count_label(228, Decimal("66.67")), "228 (66.67%)")
        self.assertEqual(count_label(0, None), "0")


class PollResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.poll = poll_with_options("Q", ["A", "B", "C"], max_choices=2, ask_audience=True)
        a, b, c = cls.poll.options.all()
        ballots = [
            ([a, b], "business"),
            ([a], "student"),
            ([a, c], "student"),
            ([b], ""),
        ]
        for number, (options, audience) in enumerate(ballots):
            ballot_cast(
                poll=cls.poll,
                option_ids=[o.pk for o in options],
                respondent=respondent(number),
                audience=audience or None,
            )

    def test_percentages_are_of_respondents_and_shares_of_votes(self) -> None:
        results = poll_results(self.poll)
        self.assertEqual(results.respondents, 4)
        self.assertEqual(results.votes, 6)
        self.assertEqual(
            [o.label for o in results.options], ["3 (75.00%)", "2 (50.00%)", "1 (25.00%)"]
        )
        self.assertEqual([o.share_label for o in results.options], ["50.00%", "33.33%", "16.67%"])

    def test_results_split_by_audience(self) -> None:
        audiences = {a.code: a for a in poll_results(self.poll).audiences}
        self.assertEqual(set(audiences), {"business", "researcher", "student", "other", ""})
        self.assertEqual(audiences["student"].respondents, 2)
        self.assertEqual(
            [o.label for o in audiences["student"].options],
            ["2 (100.00%)", "0 (0.00%)", "1 (50.00%)"],
        )
        self.assertEqual(audiences["researcher"].respondents, 0)
        self.assertEqual(audiences[""].respondents, 1)

    def test_results_are_one_query_of_the_tallies_however_many_ballots(self) -> None:
        poll = type(self.poll).objects.prefetch_related("options").get(pk=self.poll.pk)
        with self.assertNumQueries(1):
            poll_results(poll)

    def test_a_committed_ballot_is_in_the_next_results(self) -> None:
        poll = type(self.poll).objects.prefetch_related("options").get(pk=self.poll.pk)
        self.assertEqual(poll_results(poll).respondents, 4)
        ballot_cast(poll=poll, option_ids=[poll.options.all()[0].pk], respondent=respondent(99))
        self.assertEqual(poll_results(poll).respondents, 5)


class SitePollTests(TestCase):
    def test_open_site_wide_poll_first_then_the_latest_closed(self) -> None:
        now = timezone.now()
        self.assertIsNone(site_poll())
        older = poll_with_options(
            "Закрыт давно",
            opens_at=now - datetime.timedelta(days=90),
            closes_at=now - datetime.timedelta(days=60),
        )
        newer = poll_with_options(
            "Закрыт недавно",
            opens_at=now - datetime.timedelta(days=30),
            closes_at=now - datetime.timedelta(days=1),
        )
        poll_with_options("Только в статье", site_wide=False)
        poll_with_options("Запланирован", opens_at=now + datetime.timedelta(days=1))
        self.assertIsNone(current_site_poll())
        self.assertEqual(latest_closed_poll(), newer)
        self.assertEqual(site_poll(), newer)
        current = poll_with_options("Открыт", opens_at=now - datetime.timedelta(days=2))
        self.assertEqual(site_poll(), current)
        self.assertEqual(
            [p.question for p in poll_archive()],
            ["Только в статье", "Открыт", "Закрыт недавно", "Закрыт давно"],
        )
        self.assertEqual(older.number, 1)


class VisibilityTests(TestCase):
    def test_rules(self) -> None:
        poll = poll_with_options()
        for visibility, before, after_vote in (
            (ResultsVisibility.ALWAYS, True, True),
            (ResultsVisibility.AFTER_VOTING, False, True),
            (ResultsVisibility.AFTER_CLOSING, False, False),
        ):
            poll.results_visibility = visibility
            self.assertEqual(poll.results_visible(has_voted=False), before, visibility)
            self.assertEqual(poll.results_visible(has_voted=True), after_vote, visibility)
        poll.closes_at = timezone.now()
        self.assertTrue(poll.results_visible(has_voted=False))
