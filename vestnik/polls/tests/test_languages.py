"""One poll in two languages: English texts under /en/, one set of ballots and results."""

from __future__ import annotations

import csv
import io

from django.test import Client, TestCase

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.core.models import User
from vestnik.polls.exports import poll_results_csv
from vestnik.polls.factories import poll_with_options
from vestnik.polls.models import BallotCount, ChoiceCount, Poll
from vestnik.polls.services import PollTranslationError, poll_english_set
from vestnik.polls.tests.test_admin import ADMIN, poll_form
from vestnik.polls.tests.utils import ru
from vestnik.site.services import site_setup

JSON = {"HTTP_ACCEPT": "application/json"}
UNTRANSLATED_NOTE = "This poll has no English version; it is shown in Russian."


def translated_poll(**fields: object) -> Poll:
    poll = poll_with_options(
        "Какие темы важнее?", ["Энергетика", "Транспорт", "Торговля"], max_choices=2, **fields
    )
    poll_english_set(
        poll=poll,
        question="Which topics matter most?",
        option_texts=["Energy", "Transport", "Trade"],
    )
    return poll


class OneSetOfBallotsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.poll = translated_poll()
        cls.energy, cls.transport, cls.trade = cls.poll.options.all()

    def test_votes_from_the_english_and_the_russian_page_count_in_the_same_results(self) -> None:
        english_reader, russian_reader = Client(), Client()
        english = english_reader.post(
            f"/en/polls/{self.poll.pk}/vote/", {"option": [self.energy.pk]}, **JSON
        )
        self.assertEqual(english.status_code, 200)
        self.assertEqual(english.json()["question"], "Which topics matter most?")
        russian = russian_reader.post(
            f"/polls/{self.poll.pk}/vote/",
            {"option": [self.energy.pk, self.trade.pk]},
            **JSON,
        )
        self.assertEqual(russian.status_code, 200)
        self.assertEqual(russian.json()["question"], "Какие темы важнее?")

        # One tally: both ballots, whatever page they came from.
        self.assertEqual(
            sum(BallotCount.objects.filter(poll=self.poll).values_list("count", flat=True)), 2
        )
        self.assertEqual(ChoiceCount.objects.get(poll=self.poll, option=self.energy).count, 2)
        en = english_reader.get(f"/en/polls/{self.poll.pk}/results/").json()
        ru = russian_reader.get(f"/polls/{self.poll.pk}/results/").json()
        self.assertEqual(en["respondents"], 2)
        self.assertEqual(ru["respondents"], 2)
        self.assertEqual(en["language"], "en")
        self.assertEqual(ru["language"], "ru")
        self.assertEqual(
            [(o["text"], o["label"]) for o in en["options"]],
            [("Energy", "2 (100.00%)"), ("Transport", "0 (0.00%)"), ("Trade", "1 (50.00%)")],
        )
        self.assertEqual(
            [(o["text"], o["label"]) for o in ru["options"]],
            [("Энергетика", "2 (100.00%)"), ("Транспорт", "0 (0.00%)"), ("Торговля", "1 (50.00%)")],
        )
        # The results fragment the script swaps in is in the page's language too.
        self.assertIn("Transport", en["html"])
        self.assertNotIn("Транспорт", en["html"])

    def test_a_reader_who_voted_in_russian_has_voted_in_english_too(self) -> None:
        self.client.post(f"/polls/{self.poll.pk}/vote/", {"option": [self.energy.pk]}, **JSON)
        again = self.client.post(
            f"/en/polls/{self.poll.pk}/vote/", {"option": [self.trade.pk]}, **JSON
        )
        self.assertEqual(again.status_code, 409)
        self.assertTrue(self.client.get(f"/en/polls/{self.poll.pk}/results/").json()["has_voted"])

    def test_the_english_poll_page_shows_the_english_form(self) -> None:
        html = self.client.get(f"/en/polls/{self.poll.pk}/").content.decode()
        self.assertIn("Which topics matter most?", html)
        self.assertIn(
            f'<label for="poll-{self.poll.pk}-option-{self.transport.pk}">Transport</label>', html
        )
        self.assertIn(f'action="/en/polls/{self.poll.pk}/vote/"', html)
        self.assertNotIn("Энергетика", html)
        self.assertNotIn(UNTRANSLATED_NOTE, html)


class ArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.translated = translated_poll()
        cls.russian_only = poll_with_options("Вопрос только по-русски?")

    def test_the_english_archive_lists_polls_with_an_english_text_in_english(self) -> None:
        html = self.client.get("/en/polls/").content.decode()
        self.assertIn("Which topics matter most?", html)
        self.assertNotIn("Какие темы важнее?", html)
        self.assertNotIn("Вопрос только по-русски?", html)

    def test_the_russian_archive_lists_every_poll_in_russian(self) -> None:
        html = self.client.get("/polls/").content.decode()
        self.assertIn("Какие темы важнее?", html)
        self.assertIn("Вопрос только по-русски?", html)
        self.assertNotIn("Which topics matter most?", html)

    def test_an_untranslated_poll_keeps_its_english_url_shown_in_russian_and_marked(self) -> None:
        response = self.client.get(f"/en/polls/{self.russian_only.pk}/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('<span lang="ru">Вопрос только по-русски?</span>', html)
        self.assertIn('lang="ru">Скорее да</label>', html)
        self.assertIn(UNTRANSLATED_NOTE, html)
        data = self.client.get(f"/en/polls/{self.russian_only.pk}/results/").json()
        self.assertEqual(data["language"], "ru")
        self.assertEqual(data["question"], "Вопрос только по-русски?")


class EmbeddedPollTests(TestCase):
    """The poll block an English translation copies from its Russian article."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.translated = translated_poll(site_wide=False)
        cls.russian_only = poll_with_options("Вопрос только по-русски?", site_wide=False)
        blog = expert_with_blog()
        cls.article = article_in_blog(
            blog,
            body=[
                ("paragraph", "<p>Текст.</p>"),
                ("poll", {"poll": cls.translated, "heading": ""}),
                ("poll", {"poll": cls.russian_only, "heading": ""}),
            ],
            footnotes={},
        )
        cls.translation = english_translation(
            cls.article,
            body=[
                ("paragraph", "<p>Text.</p>"),
                ("poll", {"poll": cls.translated, "heading": ""}),
                ("poll", {"poll": cls.russian_only, "heading": ""}),
            ],
            footnotes={},
        )

    def test_the_english_article_shows_a_translated_poll_in_english(self) -> None:
        html = self.client.get(self.translation.url).content.decode()
        self.assertIn("</span> Which topics matter most? <span", html)
        self.assertIn(">Transport</label>", html)
        self.assertIn(f'action="/en/polls/{self.translated.pk}/vote/"', html)

    def test_the_english_feed_names_the_poll_in_english(self) -> None:
        english = self.client.get("/en/feeds/articles.rss").content.decode()
        self.assertIn("Poll: Which topics matter most?", english)
        russian = self.client.get("/feeds/articles.rss").content.decode()
        self.assertIn("Какие темы важнее?", russian)
        self.assertNotIn("Which topics matter most?", russian)

    def test_an_untranslated_poll_is_shown_in_russian_marked_as_russian(self) -> None:
        html = self.client.get(self.translation.url).content.decode()
        self.assertIn('<span lang="ru">Вопрос только по-русски?</span>', html)
        self.assertIn(UNTRANSLATED_NOTE, html)
        # The Russian article shows both in Russian, with no marks or notes.
        russian = self.client.get(self.article.url).content.decode()
        self.assertIn("</span> Какие темы важнее? <span", russian)
        polls = [
            part.split("</section>", 1)[0] for part in russian.split('<section class="poll"')[1:]
        ]
        self.assertEqual(len(polls), 2)
        for poll in polls:
            self.assertNotIn("lang=", poll)
        self.assertNotIn(UNTRANSLATED_NOTE, russian)


class SiteWidgetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def test_the_english_widget_offers_only_a_poll_with_an_english_text(self) -> None:
        translated = translated_poll()
        newer_russian_only = poll_with_options("Вопрос только по-русски?")
        english_home = self.client.get("/en/").content.decode()
        self.assertIn(f'id="poll-{translated.pk}"', english_home)
        self.assertNotIn(f'id="poll-{newer_russian_only.pk}"', english_home)
        russian_home = self.client.get("/").content.decode()
        self.assertIn(f'id="poll-{newer_russian_only.pk}"', russian_home)


class EnglishTextsTests(TestCase):
    def test_english_texts_must_match_the_options(self) -> None:
        poll = poll_with_options()
        with self.assertRaises(PollTranslationError):
            poll_english_set(poll=poll, question="Will it?", option_texts=["Yes", "No"])
        with self.assertRaises(PollTranslationError):
            poll_english_set(poll=poll, question=" ", option_texts=["Yes", "No", "Unsure"])
        poll.refresh_from_db()
        self.assertFalse(poll.has_english)

    def test_the_csv_carries_both_texts(self) -> None:
        poll = translated_poll()
        rows = list(csv.reader(io.StringIO(poll_results_csv(poll))))
        self.assertEqual(rows[0][-2:], ["question_en", "option_en"])
        self.assertEqual(
            [(row[1], row[3], row[-2], row[-1]) for row in rows[1:]],
            [
                ("Какие темы важнее?", "Энергетика", "Which topics matter most?", "Energy"),
                ("Какие темы важнее?", "Транспорт", "Which topics matter most?", "Transport"),
                ("Какие темы важнее?", "Торговля", "Which topics matter most?", "Trade"),
            ],
        )


class AdminEnglishTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", "x")

    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def test_editor_adds_english_texts(self) -> None:
        options = [
            {"text": "Двусторонний", "text_en": "Bilateral"},
            {"text": "Многосторонний", "text_en": "Multilateral"},
        ]
        response = self.client.post(
            f"{ADMIN}add/",
            poll_form(options=options, question_en="Which format is more promising?"),
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        poll = Poll.objects.get()
        self.assertEqual(poll.question_in("en"), "Which format is more promising?")
        self.assertEqual([o.text_en for o in poll.options.all()], ["Bilateral", "Multilateral"])

    def test_a_half_translated_poll_is_refused(self) -> None:
        options = [{"text": "Двусторонний", "text_en": "Bilateral"}, {"text": "Многосторонний"}]
        response = self.client.post(
            f"{ADMIN}add/", poll_form(options=options, question_en="Which format?")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, ru("With an English question, every option needs its English text.")
        )
        self.assertFalse(Poll.objects.exists())

        no_question = [{"text": "Двусторонний", "text_en": "Bilateral"}, {"text": "Многосторонний"}]
        response = self.client.post(f"{ADMIN}add/", poll_form(options=no_question))
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, ru("Give the English question, or leave every English text empty.")
        )
        self.assertFalse(Poll.objects.exists())
