"""The HTTP interface: voting with and without JavaScript, results, the poll page, the archive."""

from __future__ import annotations

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone

from vestnik.core.models import User
from vestnik.polls.factories import poll_with_options
from vestnik.polls.models import Ballot, PollVoters, ResultsVisibility
from vestnik.polls.services import ballots_delete
from vestnik.polls.tests.utils import ru_catalog_has
from vestnik.site.services import site_setup

JSON = {"HTTP_ACCEPT": "application/json"}


class VoteTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.poll = poll_with_options(
            "Какие темы важнее?", ["Энергетика", "Транспорт", "Торговля"], max_choices=2
        )
        cls.a, cls.b, cls.c = cls.poll.options.all()

    def vote(self, *options: int, language: str = "", **extra):  # type: ignore[no-untyped-def]
        data = {"option": [str(option) for option in options], **extra.pop("data", {})}
        return self.client.post(f"{language}/polls/{self.poll.pk}/vote/", data, **extra)

    # --- JavaScript (JSON) ---------------------------------------------------

    def test_json_vote_answers_with_results_and_sets_the_respondent_cookie(self) -> None:
        response = self.vote(self.a.pk, self.b.pk, **JSON)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertTrue(data["ok"])
        self.assertTrue(data["has_voted"])
        self.assertEqual(data["respondents"], 1)
        self.assertEqual(
            [(o["id"], o["count"], o["percent"], o["label"]) for o in data["options"]],
            [
                (self.a.pk, 1, 100.0, "1 (100.00%)"),
                (self.b.pk, 1, 100.0, "1 (100.00%)"),
                (self.c.pk, 0, 0.0, "0 (0.00%)"),
            ],
        )
        self.assertEqual(data["options"][0]["share_of_votes"], 50.0)
        self.assertIn("poll-results", data["html"])
        cookie = response.cookies["vestnik_respondent"]
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertTrue(cookie["httponly"])
        self.assertIn("no-cache", response["Cache-Control"])

    def test_second_json_vote_is_refused_with_409(self) -> None:
        self.vote(self.a.pk, **JSON)
        response = self.vote(self.b.pk, language="/en", **JSON)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(
            response.json(),
            {"ok": False, "error": "already_voted", "message": "You have already voted"},
        )
        self.assertEqual(Ballot.objects.count(), 1)

    def test_refusals_are_4xx_json_and_write_nothing(self) -> None:
        other = poll_with_options("Другой", ["Да", "Нет"]).options.first()
        assert other is not None
        cases = [
            ((), "no_option", 400),
            ((self.a.pk, self.b.pk, self.c.pk), "too_many", 400),
            ((self.a.pk, self.a.pk), "duplicate_option", 400),
            ((self.a.pk, other.pk), "foreign_option", 400),
        ]
        for options, code, status in cases:
            with self.subTest(code):
                response = self.vote(*options, language="/en", **JSON)
                self.assertEqual(response.status_code, status)
                self.assertEqual(response.json()["error"], code)
                self.assertTrue(response.json()["message"])
        for junk in ("abc", "-1", "0", str(2**64), "1e3", ""):
            with self.subTest(junk=junk):
                response = self.client.post(
                    f"/en/polls/{self.poll.pk}/vote/", {"option": junk}, **JSON
                )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"], "foreign_option")
        self.assertEqual(Ballot.objects.count(), 0)
        self.assertNotIn("vestnik_respondent", response.cookies)

    def test_closed_and_not_yet_open_polls_refuse(self) -> None:
        self.poll.closes_at = timezone.now() - datetime.timedelta(seconds=1)
        self.poll.save()
        response = self.vote(self.a.pk, language="/en", **JSON)
        self.assertEqual((response.status_code, response.json()["error"]), (403, "closed"))
        self.assertEqual(response.json()["message"], "This poll is closed.")
        self.poll.opens_at = timezone.now() + datetime.timedelta(days=1)
        self.poll.closes_at = None
        self.poll.save()
        response = self.vote(self.a.pk, language="/en", **JSON)
        self.assertEqual((response.status_code, response.json()["error"]), (403, "not_open"))

    def test_signed_in_only_poll(self) -> None:
        self.poll.voters = PollVoters.SIGNED_IN
        self.poll.save()
        response = self.vote(self.a.pk, language="/en", **JSON)
        self.assertEqual((response.status_code, response.json()["error"]), (403, "signed_in_only"))
        self.client.force_login(User.objects.create_user("reader", password="x"))
        response = self.vote(self.a.pk, **JSON)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("vestnik_respondent", response.cookies)
        self.assertEqual(Ballot.objects.get().respondent_key, f"u:{User.objects.get().pk}")

    def test_get_never_votes(self) -> None:
        response = self.client.get(f"/en/polls/{self.poll.pk}/vote/?option={self.a.pk}")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response["Allow"], "POST")
        self.assertContains(response, "Votes are cast by sending the poll form.", status_code=405)
        response = self.client.get(f"/polls/{self.poll.pk}/vote/", **JSON)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["error"], "method_not_allowed")
        self.assertEqual(Ballot.objects.count(), 0)

    def test_unknown_poll_is_404(self) -> None:
        for poll_id in ("999999", "0", str(2**70)):
            with self.subTest(poll_id=poll_id):
                vote = self.client.post(f"/polls/{poll_id}/vote/", {"option": "1"})
                self.assertEqual(vote.status_code, 404)
                self.assertEqual(self.client.get(f"/polls/{poll_id}/results/").status_code, 404)
                self.assertEqual(self.client.get(f"/polls/{poll_id}/").status_code, 404)

    # --- without JavaScript ----------------------------------------------------

    def test_form_post_redirects_back_to_the_page_which_shows_the_result(self) -> None:
        response = self.vote(self.a.pk, data={"next": "/?page=2"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            response["Location"], f"/?page=2&poll={self.poll.pk}&voted=1#poll-{self.poll.pk}"
        )
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("X-Page-Cache", page)
        self.assertContains(page, f'id="poll-{self.poll.pk}"')
        self.assertContains(page, "1 (100.00%)")
        self.assertNotContains(page, 'name="option"')

    def test_unsafe_next_falls_back_to_the_poll_page(self) -> None:
        response = self.vote(self.a.pk, data={"next": "https://evil.example/"})
        self.assertEqual(
            response["Location"], f"/polls/{self.poll.pk}/?voted=1#poll-{self.poll.pk}"
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "1 (100.00%)")

    def test_a_return_path_another_host_could_be_read_from_falls_back_to_the_poll_page(
        self,
    ) -> None:
        poll_page = f"/polls/{self.poll.pk}/?voted=1#poll-{self.poll.pk}"
        hostile = [
            "http://testserver//evil.example/x",
            "http://testserver/\\evil.example/x",
            "http://testserver/\\/evil.example/x",
            "//evil.example/x",
            "/\\evil.example/x",
            "\\\\evil.example/x",
            "///evil.example/x",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://evil.example/",
        ]
        for number, url in enumerate(hostile):
            for source in ("next", "referer"):
                with self.subTest(url=url, source=source):
                    # A fresh reader each time: one ballot per respondent.
                    self.client.cookies.clear()
                    ballots_delete(ballots=Ballot.objects.all())
                    extra = (
                        {"data": {"next": url}}
                        if source == "next"
                        else {"HTTP_REFERER": url, "HTTP_ORIGIN": "http://testserver"}
                    )
                    response = self.vote(self.a.pk, **extra)
                    self.assertEqual(response.status_code, 302, number)
                    self.assertEqual(response["Location"], poll_page)

    def test_a_json_vote_never_answers_with_the_next_it_was_sent(self) -> None:
        # The script posts the whole form, `next` included; the JSON answer must not
        # echo it as a place to go.
        response = self.vote(self.a.pk, data={"next": "http://testserver//evil.example/x"}, **JSON)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Location", response)
        self.assertNotIn("evil.example", response.content.decode())

    def test_referer_is_used_when_the_form_has_no_next(self) -> None:
        response = self.vote(self.a.pk, HTTP_REFERER="http://testserver/en/?poll=7")
        self.assertEqual(
            response["Location"], f"/en/?poll={self.poll.pk}&voted=1#poll-{self.poll.pk}"
        )

    def test_second_form_post_is_refused_in_the_readers_language(self) -> None:
        self.vote(self.a.pk)
        response = self.vote(self.b.pk, language="/en")
        self.assertContains(response, "You have already voted", status_code=409)
        self.assertEqual(Ballot.objects.count(), 1)

    def test_second_form_post_is_refused_in_russian(self) -> None:
        if not ru_catalog_has("You have already voted"):
            self.skipTest("the Russian catalogue (locale/ru) has no translations for polls yet")
        self.vote(self.a.pk)
        response = self.vote(self.b.pk)
        self.assertContains(response, "Вы уже голосовали", status_code=409)

    # --- defences of the CSRF-exempt endpoint ---------------------------------

    def test_cross_site_posts_are_refused(self) -> None:
        for headers in (
            {"HTTP_ORIGIN": "https://evil.example"},
            {"HTTP_ORIGIN": "null"},
            {"HTTP_REFERER": "https://evil.example/page"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
        ):
            with self.subTest(headers):
                response = self.vote(self.a.pk, language="/en", **JSON, **headers)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json()["error"], "cross_site")
        self.assertEqual(Ballot.objects.count(), 0)

    def test_same_site_origin_is_accepted(self) -> None:
        response = self.vote(
            self.a.pk, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin", **JSON
        )
        self.assertEqual(response.status_code, 200)

    @override_settings(CSRF_TRUSTED_ORIGINS=["https://*.vestnik.example"])
    def test_trusted_origins_are_accepted(self) -> None:
        response = self.vote(self.a.pk, HTTP_ORIGIN="https://www.vestnik.example", **JSON)
        self.assertEqual(response.status_code, 200)

    @override_settings(VESTNIK_POLLS_RATE_LIMIT=2)
    def test_rate_window_is_per_client_address(self) -> None:
        for _ in range(2):
            self.client.cookies.clear()
            self.assertEqual(self.vote(self.a.pk, **JSON).status_code, 200)
        self.client.cookies.clear()
        response = self.vote(self.a.pk, language="/en", **JSON)
        self.assertEqual((response.status_code, response.json()["error"]), (429, "rate_limited"))
        self.client.cookies.clear()
        response = self.vote(self.a.pk, REMOTE_ADDR="10.0.0.9", **JSON)
        self.assertEqual(response.status_code, 200)
        hashes = set(Ballot.objects.values_list("ip_hash", flat=True))
        self.assertEqual(len(hashes), 2)
        self.assertNotIn("127.0.0.1", "".join(hashes))

    @override_settings(VESTNIK_POLLS_RATE_LIMIT=1, VESTNIK_CORE_TRUSTED_PROXIES=["10.0.0.1"])
    def test_forwarded_for_counts_only_from_a_trusted_proxy(self) -> None:
        # Behind the trusted proxy, two clients are two addresses.
        for client_ip in ("203.0.113.5", "203.0.113.6"):
            self.client.cookies.clear()
            response = self.vote(
                self.a.pk,
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.1, {client_ip}",
                **JSON,
            )
            self.assertEqual(response.status_code, 200)
        # A client that is not the proxy cannot pick its address.
        for forged in ("192.0.2.1", "192.0.2.2"):
            self.client.cookies.clear()
            response = self.vote(
                self.a.pk, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=forged, **JSON
            )
        self.assertEqual(response.status_code, 429)


class ResultsEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.poll = poll_with_options("Вопрос", ["Да", "Нет"])
        cls.yes, cls.no = cls.poll.options.all()

    def results(self) -> dict:  # type: ignore[type-arg]
        response = self.client.get(f"/en/polls/{self.poll.pk}/results/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-cache", response["Cache-Control"])
        return response.json()

    def test_shape_before_and_after_voting(self) -> None:
        data = self.results()
        self.assertEqual(
            {k: data[k] for k in ("question", "kind", "max_choices", "closed", "has_voted")},
            {
                "question": "Вопрос",
                "kind": "single",
                "max_choices": 1,
                "closed": False,
                "has_voted": False,
            },
        )
        # Results after voting: hidden for now.
        self.assertFalse(data["results_visible"])
        self.assertIsNone(data["respondents"])
        self.assertEqual([o["count"] for o in data["options"]], [None, None])
        self.assertEqual([o["text"] for o in data["options"]], ["Да", "Нет"])

        self.client.post(f"/polls/{self.poll.pk}/vote/", {"option": self.yes.pk})
        data = self.results()
        self.assertTrue(data["has_voted"])
        self.assertEqual(data["respondents"], 1)
        self.assertEqual([o["label"] for o in data["options"]], ["1 (100.00%)", "0 (0.00%)"])

    def test_visibility_always_and_after_closing(self) -> None:
        self.poll.results_visibility = ResultsVisibility.ALWAYS
        self.poll.save()
        self.assertTrue(self.results()["results_visible"])
        self.poll.results_visibility = ResultsVisibility.AFTER_CLOSING
        self.poll.save()
        self.client.post(f"/polls/{self.poll.pk}/vote/", {"option": self.yes.pk}, **JSON)
        data = self.results()
        self.assertTrue(data["has_voted"])
        self.assertFalse(data["results_visible"])
        self.assertIn("published when the poll closes", data["html"])
        self.poll.closes_at = timezone.now()
        self.poll.save()
        data = self.results()
        self.assertTrue(data["closed"])
        self.assertEqual(data["respondents"], 1)

    def test_post_to_results_is_405(self) -> None:
        self.assertEqual(self.client.post(f"/polls/{self.poll.pk}/results/").status_code, 405)


class PollPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        now = timezone.now()
        cls.old = poll_with_options(
            "Старый опрос",
            ["Да", "Нет"],
            opens_at=now - datetime.timedelta(days=60),
            closes_at=now - datetime.timedelta(days=30),
        )
        cls.current = poll_with_options(
            "Текущий опрос", ["А", "Б", "В"], max_choices=2, ask_audience=True
        )
        cls.future = poll_with_options(
            "Будущий опрос", ["Да", "Нет"], opens_at=now + datetime.timedelta(days=3)
        )

    def test_archive_lists_opened_polls_newest_first_with_numbers(self) -> None:
        response = self.client.get("/polls/")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertLess(content.index("Текущий опрос"), content.index("Старый опрос"))
        self.assertNotIn("Будущий опрос", content)
        self.assertIn(f'<span class="poll__number">{self.old.number}.</span>', content)
        # The closed poll's results: nobody voted, so counts without percentages.
        self.assertIn('<span class="poll-results__count">0</span>', content)

    def test_english_archive(self) -> None:
        response = self.client.get("/en/polls/")
        self.assertContains(response, "Poll archive")

    def test_poll_page_shows_the_form_then_the_result(self) -> None:
        url = f"/polls/{self.current.pk}/"
        response = self.client.get(url)
        self.assertContains(response, f'action="/polls/{self.current.pk}/vote/"')
        self.assertContains(response, 'type="checkbox"', count=3)
        self.assertContains(response, 'name="audience"', count=4)
        self.assertContains(response, "<fieldset", count=2)
        a = self.current.options.first()
        assert a is not None
        response = self.client.post(
            f"/polls/{self.current.pk}/vote/",
            {"option": a.pk, "audience": "student"},
            HTTP_REFERER="http://testserver" + url,
        )
        response = self.client.get(response["Location"])
        self.assertContains(response, "1 (100.00%)")
        self.assertNotContains(response, 'type="checkbox"')
