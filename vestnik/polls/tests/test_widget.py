"""The site widget and the article poll block inside pages the anonymous cache stores."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.models import ResultsVisibility
from vestnik.polls.services import ballot_cast, poll_english_set
from vestnik.polls.tests.utils import ru
from vestnik.site.services import site_setup

JSON = {"HTTP_ACCEPT": "application/json"}


class SiteWidgetCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.poll = poll_with_options(
            "Какие темы важнее?", ["Энергетика", "Транспорт", "Торговля"], max_choices=2
        )
        cls.a, cls.b, cls.c = cls.poll.options.all()
        cls.article = article_in_blog(
            expert_with_blog(),
            body=[
                ("paragraph", "<p>Текст.</p>"),
                ("poll", {"poll": cls.poll, "heading": ""}),
            ],
            footnotes={},
        )
        cls.url = cls.article.url

    def test_home_page_with_the_widget_is_cached_and_voting_still_works(self) -> None:
        first = self.client.get("/")
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first["X-Page-Cache"], "miss")
        second = self.client.get("/")
        self.assertEqual(second["X-Page-Cache"], "hit")
        html = second.content.decode()
        self.assertIn(f'<section class="poll" id="poll-{self.poll.pk}"', html)
        self.assertIn(f'action="/polls/{self.poll.pk}/vote/"', html)
        self.assertNotIn("csrfmiddlewaretoken", html)
        self.assertIn("js/polls.js", html)

        vote = self.client.post(
            f"/polls/{self.poll.pk}/vote/", {"option": [self.a.pk, self.b.pk]}, **JSON
        )
        self.assertEqual(vote.status_code, 200)
        self.assertEqual(vote.json()["respondents"], 1)

        # The reader's cookie does not take the page out of the cache, and the
        # cached page still says nothing about this reader.
        third = self.client.get("/")
        self.assertEqual(third["X-Page-Cache"], "hit")
        self.assertEqual(third.content, second.content)
        results = self.client.get(f"/polls/{self.poll.pk}/results/").json()
        self.assertTrue(results["has_voted"])
        self.assertEqual(
            [o["label"] for o in results["options"]], ["1 (100.00%)", "1 (100.00%)", "0 (0.00%)"]
        )

    def test_no_javascript_vote_from_a_cached_article_shows_the_result(self) -> None:
        self.client.get(self.url)
        cached = self.client.get(self.url)
        self.assertEqual(cached["X-Page-Cache"], "hit")
        # The body's poll block shows the poll; the site widget does not repeat it.
        self.assertContains(cached, f'action="/polls/{self.poll.pk}/vote/"', count=1)
        response = self.client.post(
            f"/polls/{self.poll.pk}/vote/",
            {"option": [self.c.pk], "next": self.url},
            HTTP_ORIGIN="http://testserver",
        )
        self.assertEqual(response.status_code, 302)
        location = response["Location"]
        self.assertEqual(location, f"{self.url}?poll={self.poll.pk}&voted=1#poll-{self.poll.pk}")
        result_page = self.client.get(location)
        self.assertEqual(result_page.status_code, 200)
        self.assertNotIn("X-Page-Cache", result_page)  # neither served from nor stored in the cache
        self.assertContains(result_page, "1 (100.00%)")
        self.assertContains(result_page, ru("Thank you, your vote has been counted."))
        # Everyone else still gets the shared page from the cache.
        self.client.cookies.clear()
        again = self.client.get(self.url)
        self.assertEqual(again["X-Page-Cache"], "hit")
        self.assertNotContains(again, "100.00%")

    def test_a_ballot_never_changes_cached_html(self) -> None:
        self.poll.results_visibility = ResultsVisibility.ALWAYS
        self.poll.save()
        before = self.client.get("/").content
        for number in range(3):
            ballot_cast(poll=self.poll, option_ids=[self.a.pk], respondent=respondent(number))
        self.assertEqual(self.client.get("/").content, before)
        self.assertNotIn(b"(100.00%)", before)

    def test_editing_a_poll_refreshes_cached_pages(self) -> None:
        self.client.get("/")
        self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
        self.poll.question = "Исправленный вопрос"
        with self.captureOnCommitCallbacks(execute=True):
            self.poll.save()
        response = self.client.get("/")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertContains(response, "Исправленный вопрос")


class PastPollWidgetTests(TestCase):
    def test_latest_closed_poll_is_shown_with_its_results(self) -> None:
        site_setup()
        now = timezone.now()
        poll = poll_with_options(
            "Закрытый опрос",
            ["Да", "Нет"],
            opens_at=now - datetime.timedelta(days=10),
        )
        yes, no = poll.options.all()
        for number, option in enumerate([yes, yes, no]):
            ballot_cast(poll=poll, option_ids=[option.pk], respondent=respondent(number))
        poll.closes_at = now - datetime.timedelta(days=1)
        poll.save()
        # The English widget offers only polls with English texts (test_languages.py).
        poll_english_set(poll=poll, question="A closed poll", option_texts=["Yes", "No"])
        response = self.client.get("/en/")
        self.assertContains(response, "Past poll")
        self.assertContains(response, '<span class="poll-results__text">Yes</span>')
        self.assertContains(response, "2 (66.67%)")
        self.assertContains(response, "1 (33.33%)")
        self.assertContains(response, "Respondents: 3")
        self.assertNotContains(response, 'name="option"')
        self.assertContains(
            response, 'aria-hidden="true"><span class="poll-results__fill" style="width: 66.67%">'
        )
