"""The API's publications, events, entities and sections over HTTP: what is shown, what never is."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import TestCase
from django.utils import timezone

from wagtail.models import PageViewRestriction

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.models import ArticlePage
from vestnik.articles.services import analysis_index_page
from vestnik.discovery.search.services import search_index_rebuild
from vestnik.events.factories import event_page, events_index
from vestnik.insights.models import Entity, Mention
from vestnik.publications.factories import publication_in_library
from vestnik.site.services import site_setup

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _private(page: Any) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


def _mention(page: Any, entity: Entity, count: int) -> Mention:
    return Mention.objects.create(
        page=page, entity=entity, count=count, date=getattr(page, "publication_date", None)
    )


class ContentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        tree = site_setup()
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.expert = cls.blog.expert
        cls.article = article_in_blog(
            cls.blog, title="Каспийский транзит и порты", date=datetime.date(2025, 11, 28)
        )
        cls.second = article_in_blog(
            cls.blog, title="Степной нефтепровод", date=datetime.date(2025, 10, 1)
        )
        # An analysis piece: in the analysis section, by its co-authors.
        piece = article_in_blog(
            analysis_index_page(),  # type: ignore[arg-type]
            title="Евразийский транзит: итоги года",
            date=datetime.date(2025, 12, 5),
            publish=False,
        )
        piece.co_authors.set([cls.expert])  # type: ignore[attr-defined]
        piece.save_revision().publish()
        cls.analysis = ArticlePage.objects.get(pk=piece.pk)
        # A private blog: its article must be nowhere.
        cls.private_blog = expert_with_blog("Олег Тайный", "Олега Тайного")
        _private(cls.private_blog)
        cls.private = article_in_blog(
            cls.private_blog, title="Секретный каспийский транзит", date=datetime.date(2025, 12, 1)
        )

        # Entities: one public, one hidden («not an entity»), one named only in the private article.
        cls.kazakhstan = Entity.objects.create(
            kind=Entity.Kind.COUNTRY, name="Казахстан", slug="kazakhstan-test"
        )
        cls.hidden = Entity.objects.create(
            kind=Entity.Kind.ORGANISATION, name="СВО", slug="svo-test", hidden=True
        )
        cls.secret = Entity.objects.create(
            kind=Entity.Kind.PERSON, name="Иван Секретов", slug="ivan-sekretov"
        )
        _mention(cls.article, cls.kazakhstan, 5)
        _mention(cls.second, cls.kazakhstan, 2)
        _mention(cls.private, cls.kazakhstan, 9)
        _mention(cls.article, cls.hidden, 7)
        _mention(cls.private, cls.secret, 4)

        # Publications: one with a PDF, a draft, a private one.
        cls.publication = publication_in_library(
            title="Каспийский транзит: порты и тарифы", authors=[cls.expert], pdf=PDF
        )
        cls.draft_publication = publication_in_library(
            title="Черновик доклада", number="92", publish=False
        )
        cls.private_publication = publication_in_library(title="Закрытый доклад", number="93")
        _private(cls.private_publication)

        # Events: a public one and a draft.
        index = events_index(tree.home)
        start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
        cls.event = event_page(
            index,
            title="Круглый стол о транзите",
            start=start,
            place="Москва",
            participants=[{"name": "Анна Гостева", "affiliation": "МГИМО", "role": "moderator"}],
        )
        cls.draft_event = event_page(
            index, title="Черновое мероприятие", start=start, publish=False
        )
        search_index_rebuild()

    def json(self, url: str, status: int = 200) -> Any:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def ids(self, url: str) -> list[int]:
        return [item["id"] for item in self.json(url)["results"]]

    def assert_not_found(self, url: str) -> None:
        self.assertEqual(
            self.json(url, 404), {"error": {"code": "not_found", "message": "Not found."}}
        )

    # --- publications ---------------------------------------------------------------

    def test_publications_list_only_public_ones(self) -> None:
        ids = self.ids("/api/v1/publications/")
        self.assertEqual(ids, [self.publication.pk])
        item = self.json("/api/v1/publications/")["results"][0]
        self.assertEqual(item["title"], "Каспийский транзит: порты и тарифы")
        self.assertEqual(item["authors"][0]["slug"], self.expert.slug)
        self.assertTrue(item["api_url"].endswith(f"/api/v1/publications/{self.publication.pk}/"))

    def test_a_publication_in_full_links_its_pdf(self) -> None:
        data = self.json(f"/api/v1/publications/{self.publication.pk}/")
        self.assertEqual(data["number"], "91")
        self.assertTrue(data["pdf_url"].startswith("http://testserver/"))
        download = self.client.get(data["pdf_url"])
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertEqual(b"".join(download.streaming_content), PDF)  # type: ignore[attr-defined]

    def test_draft_and_private_publications_are_404(self) -> None:
        for page in (self.draft_publication, self.private_publication):
            self.assert_not_found(f"/api/v1/publications/{page.pk}/")
        self.assert_not_found("/api/v1/publications/999999/")

    # --- events ---------------------------------------------------------------------------

    def test_events_list_and_detail_without_drafts(self) -> None:
        self.assertEqual(self.ids("/api/v1/events/"), [self.event.pk])
        data = self.json(f"/api/v1/events/{self.event.pk}/")
        self.assertEqual(data["title"], "Круглый стол о транзите")
        self.assertEqual(data["place"], "Москва")
        self.assertEqual(
            [(p["role"], p["name"]) for p in data["participants"]], [("moderator", "Анна Гостева")]
        )
        self.assert_not_found(f"/api/v1/events/{self.draft_event.pk}/")
        self.assert_not_found("/api/v1/events/999999/")

    # --- entities ---------------------------------------------------------------------------

    def test_entities_list_counts_public_articles_only_and_never_a_hidden_entity(self) -> None:
        listed = {e["slug"]: e for e in self.json("/api/v1/entities/")["results"]}
        self.assertEqual(set(listed), {"kazakhstan-test"})
        # Two public articles; the private one is not counted.
        self.assertEqual(listed["kazakhstan-test"]["articles"], 2)

    def test_an_entity_in_full_with_mention_counts_and_materials(self) -> None:
        data = self.json("/api/v1/entities/kazakhstan-test/")
        self.assertEqual((data["name"], data["kind"]), ("Казахстан", "country"))
        self.assertEqual((data["articles"], data["mentions"]), (2, 7))
        materials = {m["id"]: m["mentions"] for m in data["materials"]}
        self.assertEqual(materials, {self.article.pk: 5, self.second.pk: 2})
        self.assertTrue(data["materials"][0]["api_url"].endswith(f"/articles/{self.article.pk}/"))

    def test_hidden_and_only_privately_mentioned_entities_are_404(self) -> None:
        self.assert_not_found("/api/v1/entities/svo-test/")
        self.assert_not_found("/api/v1/entities/ivan-sekretov/")
        self.assert_not_found("/api/v1/entities/no-such-entity/")

    def test_an_article_lists_its_visible_entities_with_counts_never_a_hidden_one(self) -> None:
        data = self.json(f"/api/v1/articles/{self.article.pk}/")
        self.assertEqual(
            [(e["slug"], e["count"]) for e in data["entities"]], [("kazakhstan-test", 5)]
        )
        self.assertTrue(
            data["entities"][0]["api_url"].endswith("/api/v1/entities/kazakhstan-test/")
        )

    def test_the_entity_filter(self) -> None:
        self.assertEqual(
            self.ids("/api/v1/articles/?entity=kazakhstan-test"), [self.article.pk, self.second.pk]
        )
        self.assertEqual(self.ids("/api/v1/articles/?entity=svo-test"), [])
        self.assertEqual(self.ids("/api/v1/articles/?entity=ivan-sekretov"), [])
        self.assertEqual(self.ids("/api/v1/articles/?entity=nothing"), [])

    # --- sections -----------------------------------------------------------------------------

    def test_the_analysis_section(self) -> None:
        self.assertEqual(self.ids("/api/v1/articles/?section=analysis"), [self.analysis.pk])
        item = self.json("/api/v1/articles/?section=analysis")["results"][0]
        self.assertEqual(item["section"]["kind"], "analysis")
        self.assertEqual([a["slug"] for a in item["authors"]], [self.expert.slug])
        # Its co-author's articles include it; a blog's section does not.
        self.assertIn(self.analysis.pk, self.ids(f"/api/v1/articles/?expert={self.expert.slug}"))
        self.assertNotIn(self.analysis.pk, self.ids(f"/api/v1/articles/?section={self.blog.slug}"))
        self.assertEqual(
            self.json(f"/api/v1/articles/{self.analysis.pk}/")["section"]["kind"], "analysis"
        )

    # --- a private blog --------------------------------------------------------------------

    def test_a_private_blogs_article_is_nowhere(self) -> None:
        self.assertNotIn(self.private.pk, self.ids("/api/v1/articles/"))
        self.assertNotIn(self.private.pk, self.ids("/api/v1/articles/?q=транзит"))
        self.assertIn(self.article.pk, self.ids("/api/v1/articles/?q=транзит"))
        self.assertNotIn(self.private.pk, self.ids("/api/v1/articles/?entity=kazakhstan-test"))
        self.assertEqual(self.ids(f"/api/v1/articles/?section={self.private_blog.slug}"), [])
        self.assert_not_found(f"/api/v1/articles/{self.private.pk}/")
        materials = self.json("/api/v1/entities/kazakhstan-test/")["materials"]
        self.assertNotIn(self.private.pk, [m["id"] for m in materials])
        experts = [e["slug"] for e in self.json("/api/v1/experts/")["results"]]
        self.assertIn(self.expert.slug, experts)

    # --- errors --------------------------------------------------------------------------------

    def test_unknown_ids_are_404_in_the_one_error_shape(self) -> None:
        for url in (
            "/api/v1/articles/999999/",
            "/api/v1/publications/999999/",
            "/api/v1/events/999999/",
            "/api/v1/entities/nothing/",
            "/api/v1/experts/nobody/",
            "/api/v1/polls/999999/",
        ):
            with self.subTest(url=url):
                self.assert_not_found(url)
        self.assertEqual(self.json("/api/v1/no-such-endpoint/", 404)["error"]["code"], "not_found")
