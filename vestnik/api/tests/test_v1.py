"""The public JSON API over HTTP: what it shows, what it never shows, and how it caches."""

from __future__ import annotations

import datetime
from typing import Any

from openapi_spec_validator import validate

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.discovery.search.services import search_index_rebuild
from vestnik.polls.factories import poll_with_options
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic


class ApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.expert = cls.blog.expert
        cls.kz = Country.objects.get_or_create(
            slug="kz", defaults={"name_ru": "Казахстан", "name_en": "Kazakhstan", "iso_code": "KZ"}
        )[0]
        cls.energy = Topic.objects.get_or_create(
            slug="energy", defaults={"name_ru": "Энергетика", "name_en": "Energy"}
        )[0]
        cls.article = article_in_blog(
            cls.blog,
            title="Каспийский транзит и новые маршруты",
            date=datetime.date(2025, 11, 28),
            footnotes={
                "1": "<p>Smith J. Caspian routes // Survival. 2021. Vol. 63, No. 3. P. 10–20.</p>",
                "2": "<p>Данные портов.</p>",
            },
        )
        cls.article.countries.set([cls.kz])
        cls.article.topics.set([cls.energy])
        cls.article.save_revision().publish()
        cls.older = article_in_blog(
            cls.blog, title="Нефтепровод через степь", date=datetime.date(2025, 10, 1)
        )
        cls.draft = article_in_blog(cls.blog, title="Черновик о транзите", publish=False)
        cls.translation = english_translation(cls.article)
        # A private blog: its article must be nowhere in the API.
        cls.private_blog = expert_with_blog("Олег Тайный", "Олега Тайного")
        PageViewRestriction.objects.create(
            page=cls.private_blog, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        cls.private = article_in_blog(
            cls.private_blog, title="Секретный транзит", date=datetime.date(2025, 12, 1)
        )
        search_index_rebuild()

    def json(self, url: str, status: int = 200, **headers: Any) -> Any:
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def ids(self, url: str) -> list[int]:
        return [item["id"] for item in self.json(url)["results"]]

    # --- articles -----------------------------------------------------------------

    def test_the_list_has_public_articles_newest_first_and_no_draft_or_private_one(self) -> None:
        ids = self.ids("/api/v1/articles/?language=ru")
        self.assertEqual(ids, [self.article.pk, self.older.pk])
        every = self.ids("/api/v1/articles/")
        self.assertIn(self.translation.pk, every)
        self.assertNotIn(self.draft.pk, every)
        self.assertNotIn(self.private.pk, every)

    def test_filters(self) -> None:
        # A translation carries its source's tags.
        self.assertEqual(
            sorted(self.ids("/api/v1/articles/?country=kz")),
            sorted([self.article.pk, self.translation.pk]),
        )
        self.assertEqual(self.ids("/api/v1/articles/?topic=energy&language=ru"), [self.article.pk])
        self.assertEqual(self.ids("/api/v1/articles/?topic=nothing"), [])
        self.assertEqual(
            self.ids(f"/api/v1/articles/?expert={self.expert.slug}&language=ru"),
            [self.article.pk, self.older.pk],
        )
        self.assertEqual(
            self.ids(f"/api/v1/articles/?section={self.blog.slug}&language=ru"),
            [self.article.pk, self.older.pk],
        )
        self.assertEqual(self.ids("/api/v1/articles/?section=analysis"), [])
        self.assertEqual(self.ids("/api/v1/articles/?section=oleg-tajnyj"), [])
        self.assertEqual(
            self.ids("/api/v1/articles/?language=ru&date_from=2025-11-01&date_to=2025-11-30"),
            [self.article.pk],
        )
        self.assertEqual(self.ids("/api/v1/articles/?language=en"), [self.translation.pk])

    def test_full_text_search_uses_the_site_search_and_hides_private_and_drafts(self) -> None:
        found = self.ids("/api/v1/articles/?q=транзит&language=ru")
        self.assertIn(self.article.pk, found)
        self.assertNotIn(self.private.pk, found)
        self.assertNotIn(self.draft.pk, found)
        self.assertEqual(self.ids("/api/v1/articles/?q=нефтепровод&language=ru"), [self.older.pk])

    def test_cursor_pagination(self) -> None:
        first = self.json("/api/v1/articles/?language=ru&limit=1")
        self.assertEqual([a["id"] for a in first["results"]], [self.article.pk])
        second = self.json(first["next"])
        self.assertEqual([a["id"] for a in second["results"]], [self.older.pk])
        self.assertIsNone(second["next"])
        error = self.json("/api/v1/articles/?cursor=forged", 400)
        self.assertEqual(error["error"]["code"], "bad_cursor")
        self.assertEqual(self.json("/api/v1/articles/?limit=101", 400)["error"]["code"], "invalid")

    def test_the_list_makes_a_bounded_number_of_queries(self) -> None:
        for number in range(8):
            article_in_blog(
                self.blog, title=f"Статья номер {number}", date=datetime.date(2024, 1, number + 1)
            )
        self.client.get("/api/v1/articles/")  # warm the per-process caches
        with CaptureQueriesContext(connection) as five:
            self.client.get("/api/v1/articles/?limit=5")
        with CaptureQueriesContext(connection) as all_of_them:
            self.client.get("/api/v1/articles/?limit=100")
        self.assertLessEqual(len(five), 12)
        self.assertEqual(len(five), len(all_of_them))

    def test_an_article_in_full(self) -> None:
        data = self.json(f"/api/v1/articles/{self.article.pk}/")
        self.assertEqual(data["title"], "Каспийский транзит и новые маршруты")
        self.assertEqual([a["slug"] for a in data["authors"]], [self.expert.slug])
        self.assertEqual(data["section"]["kind"], "blog")
        self.assertEqual([t["slug"] for t in data["countries"]], ["kz"])
        self.assertEqual(data["body"][0]["type"], "paragraph")
        self.assertIn("[^1]", data["body"][0]["value"])
        self.assertIn('role="doc-noteref"', data["body_html"])
        self.assertEqual([n["key"] for n in data["footnotes"]], ["1", "2"])
        self.assertEqual(data["references"][0]["container"], "Survival")
        self.assertEqual(data["translations"][0]["id"], self.translation.pk)
        self.assertEqual(data["translations"][0]["language"], "en")
        self.assertEqual([c["style"] for c in data["citations"]], ["gost", "apa"])
        self.assertIn("Жакупов А.", data["citations"][0]["text"])
        formats = {f["format"]: f["url"] for f in data["citation_files"]}
        self.assertTrue(formats["cite.bib"].endswith(f"{self.article.url}cite.bib"))
        self.assertEqual(self.client.get(formats["cite.bib"]).status_code, 200)

    def test_drafts_private_and_unknown_articles_are_404_in_the_error_shape(self) -> None:
        for article_id in (self.draft.pk, self.private.pk, 999999, 2**70):
            error = self.json(f"/api/v1/articles/{article_id}/", 404)
            self.assertEqual(error["error"]["code"], "not_found")
        self.assertEqual(self.json("/api/v1/nothing/", 404)["error"]["code"], "not_found")

    # --- HTTP -------------------------------------------------------------------------

    def test_validators_304_cors_and_cache_control(self) -> None:
        response = self.client.get("/api/v1/articles/")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertIn("public", response["Cache-Control"])
        self.assertIn("max-age=", response["Cache-Control"])
        etag, modified = response["ETag"], response["Last-Modified"]
        self.assertEqual(
            self.client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=etag).status_code, 304
        )
        self.assertEqual(
            self.client.get("/api/v1/articles/", HTTP_IF_MODIFIED_SINCE=modified).status_code, 304
        )
        self.assertEqual(
            self.client.get("/api/v1/articles/", HTTP_IF_NONE_MATCH='"other"').status_code, 200
        )
        preflight = self.client.options("/api/v1/articles/")
        self.assertEqual(preflight.status_code, 204)
        self.assertEqual(preflight["Access-Control-Allow-Origin"], "*")
        head = self.client.head("/api/v1/articles/")
        self.assertEqual((head.status_code, head.content), (200, b""))
        self.assertEqual(head["ETag"], etag)

    def test_the_schema_is_valid_openapi(self) -> None:
        schema = self.json("/api/v1/openapi.json")
        self.assertTrue(schema["openapi"].startswith("3.1"))
        validate(schema)

    def test_the_docs_page_loads_swagger_from_our_static_files(self) -> None:
        response = self.client.get("/api/v1/docs/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertNotIn("cdn.", html)

    # --- experts, vocabulary, entities, polls ------------------------------------------

    def test_experts(self) -> None:
        slugs = [e["slug"] for e in self.json("/api/v1/experts/")["results"]]
        self.assertIn(self.expert.slug, slugs)
        expert = self.json(f"/api/v1/experts/{self.expert.slug}/")
        self.assertEqual(expert["name"], "Асан Жакупов")
        self.assertEqual(self.json("/api/v1/experts/nobody/", 404)["error"]["code"], "not_found")

    def test_vocabulary(self) -> None:
        self.assertIn("kz", [t["slug"] for t in self.json("/api/v1/countries/")["results"]])
        self.assertIn("energy", [t["slug"] for t in self.json("/api/v1/topics/")["results"]])
        self.assertIsInstance(self.json("/api/v1/regions/")["results"], list)

    def test_polls_and_voting_follow_the_html_rules(self) -> None:
        poll = poll_with_options()
        listed = self.json("/api/v1/polls/")["results"]
        self.assertEqual([p["id"] for p in listed], [poll.pk])
        shown = self.json(f"/api/v1/polls/{poll.pk}/")
        self.assertFalse(shown["results_visible"])
        option = shown["options"][0]["id"]
        vote = self.client.post(
            f"/api/v1/polls/{poll.pk}/vote/", {"options": [option]}, content_type="application/json"
        )
        self.assertEqual(vote.status_code, 200, vote.content)
        self.assertTrue(vote.json()["ok"])
        again = self.client.post(
            f"/api/v1/polls/{poll.pk}/vote/", {"options": [option]}, content_type="application/json"
        )
        self.assertEqual(again.status_code, 409)
        self.assertEqual(again.json()["error"]["code"], "already_voted")
        html_again = self.client.post(
            f"/polls/{poll.pk}/vote/", {"option": [option]}, HTTP_ACCEPT="application/json"
        )
        self.assertEqual(html_again.json()["error"], "already_voted")
        foreign = self.client.post(
            f"/api/v1/polls/{poll.pk}/vote/",
            {"options": [option + 1000]},
            content_type="application/json",
        )
        self.assertIn(foreign.status_code, (400, 409))
        self.assertEqual(self.json("/api/v1/polls/999999/", 404)["error"]["code"], "not_found")
