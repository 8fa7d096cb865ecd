"""Importing a legacy «Прошедший опрос» block with its archived totals."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from vestnik.articles.drafts import PollDraft, PollOptionDraft
from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.polls.factories import respondent
from vestnik.polls.models import Poll
from vestnik.polls.selectors import poll_results
from vestnik.polls.services import (
    BallotRefused,
    ballot_cast,
    poll_create_from_draft,
    respondents_from_draft,
)
from vestnik.polls.tests.utils import EnglishMessages
from vestnik.site.services import site_setup

# The poll at the end of the reference page (corpus/000_729f06e00060070c.txt).
REFERENCE_OPTIONS = [
    ("Увеличение количества мусора", 228, 66.67),
    ("Вырубка лесов", 214, 62.57),
    ("Загрязнение воды", 186, 54.39),
    ("Загрязнение воздуха", 153, 44.74),
    ("Проблема захоронения ядерных отходов", 106, 30.99),
    ("Истощение полезных ископаемых", 90, 26.32),
    ("Глобальное потепление", 83, 24.27),
    ("Сокращение биоразнообразия", 77, 22.51),
    ("Звуковое загрязнение", 25, 7.31),
]
REFERENCE_QUESTION = (
    "Какие угрозы для окружающей среды, на ваш взгляд, являются наиболее важными "
    "для России сегодня?"
)


def reference_draft() -> PollDraft:
    return PollDraft(
        question=REFERENCE_QUESTION,
        number=1,
        max_choices=3,
        closed=True,
        options=[PollOptionDraft(text=t, votes=v, percent=p) for t, v, p in REFERENCE_OPTIONS],
    )


class RespondentsFromPercentagesTests(EnglishMessages, TestCase):
    def test_reference_poll_had_342_respondents(self) -> None:
        respondents, warnings = respondents_from_draft(reference_draft())
        self.assertEqual(respondents, 342)
        self.assertEqual(warnings, [])

    def test_percentages_that_disagree_give_a_warning(self) -> None:
        draft = PollDraft(
            question="Несогласованный опрос",
            max_choices=2,
            options=[
                PollOptionDraft("А", 228, 66.67),
                PollOptionDraft("Б", 214, 50.00),
            ],
        )
        respondents, warnings = respondents_from_draft(draft)
        self.assertEqual(respondents, 342)  # taken from the most chosen option
        self.assertEqual(len(warnings), 1)
        self.assertIn("do not agree", warnings[0])

    def test_one_choice_poll_without_percentages_sums_its_votes(self) -> None:
        draft = PollDraft(question="Q", options=[PollOptionDraft("А", 3), PollOptionDraft("Б", 5)])
        self.assertEqual(respondents_from_draft(draft), (8, []))

    def test_multiple_choice_without_percentages_is_unknown(self) -> None:
        draft = PollDraft(
            question="Q", max_choices=2, options=[PollOptionDraft("А", 3), PollOptionDraft("Б", 5)]
        )
        respondents, warnings = respondents_from_draft(draft)
        self.assertIsNone(respondents)
        self.assertEqual(len(warnings), 1)


class PollImportTests(EnglishMessages, TestCase):
    def test_reference_poll_is_imported_closed_with_its_totals(self) -> None:
        result = poll_create_from_draft(draft=reference_draft())
        poll = result.poll
        self.assertTrue(result.created)
        self.assertTrue(poll.imported)
        self.assertTrue(poll.is_closed())
        self.assertEqual(poll.imported_respondents, 342)
        self.assertEqual(poll.max_choices, 3)
        self.assertTrue(poll.is_multiple)
        results = poll_results(poll)
        self.assertEqual(results.respondents, 342)
        self.assertEqual(
            [(o.text, o.label) for o in results.options],
            [(t, f"{v} ({p:.2f}%)") for t, v, p in REFERENCE_OPTIONS],
        )
        self.assertEqual(results.options[0].label, "228 (66.67%)")
        # 1162 votes cannot come from 342 people ticking at most three: the
        # numbers are kept as published, and the editor is told.
        self.assertEqual(len(result.warnings), 1)
        self.assertIn("1162", result.warnings[0])
        self.assertEqual(poll.import_note, result.warnings[0])

    def test_importing_twice_creates_one_poll(self) -> None:
        first = poll_create_from_draft(draft=reference_draft())
        second = poll_create_from_draft(draft=reference_draft())
        self.assertFalse(second.created)
        self.assertEqual(first.poll.pk, second.poll.pk)
        self.assertEqual(Poll.objects.count(), 1)

    def test_an_inconsistent_block_is_imported_with_a_warning(self) -> None:
        draft = PollDraft(
            question="Несогласованный опрос",
            max_choices=1,
            options=[PollOptionDraft("А", 10, 50.0), PollOptionDraft("Б", 10, 25.0)],
        )
        result = poll_create_from_draft(draft=draft)
        self.assertTrue(result.created)
        self.assertTrue(result.warnings)
        self.assertEqual(result.poll.import_note, "\n".join(result.warnings))

    def test_imported_poll_takes_no_ballots_and_never_mixes_them_in(self) -> None:
        poll = poll_create_from_draft(draft=reference_draft()).poll
        option = poll.options.first()
        assert option is not None
        with self.assertRaises(BallotRefused) as caught:
            ballot_cast(poll=poll, option_ids=[option.pk], respondent=respondent(1))
        self.assertEqual(caught.exception.code, "closed")
        self.assertEqual(poll_results(poll).options[0].count, 228)

    def test_the_article_dates_the_poll_and_is_remembered(self) -> None:
        site_setup()
        article = article_in_blog(expert_with_blog())
        poll = poll_create_from_draft(draft=reference_draft(), article=article).poll
        self.assertEqual(poll.source_page_id, article.pk)
        poll.refresh_from_db()
        assert poll.closes_at is not None
        self.assertEqual(timezone.localdate(poll.closes_at), article.publication_date)
