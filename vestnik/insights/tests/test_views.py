"""Entity pages and the article's insights panel, over HTTP."""

from __future__ import annotations

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from vestnik.insights.models import Entity, Mention
from vestnik.insights.services import entity_merge
from vestnik.insights.tests.utils import ReferenceArticleTestCase

TITLE = "На перекрестке Евразии"


class EntityPageTests(ReferenceArticleTestCase):
    def get(self, url: str) -> str:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode().replace("\xa0", " ")

    def test_turkey_lists_the_reference_article_with_a_timeline_and_a_chart(self) -> None:
        html = self.get("/entities/turtsiya/")

        self.assertIn("<h1>Турция", html)
        self.assertIn(TITLE, html)
        self.assertIn(self.article.url, html)
        turkey = Mention.objects.get(page=self.article, entity__name="Турция").count
        self.assertGreater(turkey, 10)
        self.assertIn(f">{turkey}<", html)
        # The merged timeline: Turkey's dated sentences, March 1992 first.
        timeline = html.split('class="timeline"', 1)[1]
        self.assertLess(timeline.index("Март 1992"), timeline.index("2025"))
        # The month chart is drawn on the server, with a text alternative and a table.
        self.assertRegex(html, r'<svg class="month-chart__svg"[^>]*role="img"')
        self.assertIn(f"<title>Ноябрь 2025: {turkey}</title>", html)
        self.assertIn('<th scope="row">Ноябрь 2025</th>', html)
        # What else the articles about Turkey name.
        neighbours = html.split('id="neighbours-title"', 1)[1].split("</section>", 1)[0]
        self.assertIn("/entities/kazakhstan/", neighbours)
        self.assertNotIn("/entities/turtsiya/", neighbours)

    def test_csto_lists_the_reference_article(self) -> None:
        html = self.get("/entities/odkb/")

        self.assertIn("Организация Договора о коллективной безопасности", html)
        self.assertIn(TITLE, html)

    def test_english_uses_the_vocabulary_name(self) -> None:
        self.assertIn("<h1>Türkiye", self.get("/en/entities/turtsiya/"))

    def test_index_groups_entities_by_kind(self) -> None:
        html = self.get("/entities/")

        self.assertIn('href="/entities/turtsiya/"', html)
        self.assertIn('href="/entities/odkb/"', html)
        self.assertLess(html.index('id="kind-country"'), html.index('id="kind-person"'))

    def test_a_merged_entity_redirects_and_a_hidden_one_is_gone(self) -> None:
        istanbul, turkey = Entity.objects.get(name="Стамбул"), Entity.objects.get(name="Турция")
        entity_merge(source=istanbul, target=turkey)

        response = self.client.get(f"/entities/{istanbul.slug}/")
        self.assertEqual((response.status_code, response["Location"]), (301, "/entities/turtsiya/"))

        Entity.objects.filter(pk=turkey.pk).update(hidden=True)
        self.assertEqual(self.client.get("/entities/turtsiya/").status_code, 404)
        self.assertEqual(self.client.get("/entities/no-such-entity/").status_code, 404)

    def test_entity_page_queries_stay_few(self) -> None:
        self.client.get("/entities/turtsiya/")  # warm the menu and site caches
        with (
            self.settings(VESTNIK_CORE_PAGE_CACHE_ENABLED=False),
            CaptureQueriesContext(connection) as queries,
        ):
            self.client.get("/entities/turtsiya/")
        self.assertLessEqual(len(queries), 12, "\n".join(q["sql"][:200] for q in queries))


class ArticlePanelTests(ReferenceArticleTestCase):
    def panel(self) -> str:
        html = self.client.get(self.article.url).content.decode().replace("\xa0", " ")
        self.assertIn('<section class="insights"', html)
        return html.split('<section class="insights"', 1)[1].split("</aside>", 1)[0]

    def test_the_reference_article_shows_mentions_timeline_and_figures(self) -> None:
        panel = self.panel()

        # Mentions grouped by kind, with counts, linking to entity pages.
        self.assertIn('href="/entities/turtsiya/">Турция</a>', panel)
        self.assertIn(
            '<abbr title="Организация Договора о коллективной безопасности">ОДКБ</abbr>', panel
        )
        self.assertIn('href="/entities/r-zhaksylykov/"', panel)
        self.assertLess(panel.index("Турция"), panel.index("Р. Жаксылыков"))
        # A vertical timeline, March 1992 first.
        self.assertIn('<time class="timeline__date" datetime="1992-03">Март 1992</time>', panel)
        self.assertIn('datetime="2021">2021–2022</time>', panel)
        # Key figures with what they measure.
        self.assertIn("2,5 млрд долл.", panel)
        self.assertIn("военные расходы Казахстана, 2023", panel)

    def test_hidden_mentions_are_not_shown(self) -> None:
        Mention.objects.filter(page=self.article, entity__name="Зенит").update(hidden=True)

        self.assertNotIn("Зенит</a>", self.panel())

    def test_the_panel_costs_three_queries_then_none(self) -> None:
        template = Template(
            "{% load insights_tags %}{% article_insights page as i %}{{ i.groups|length }}"
        )
        context = Context({"page": self.article})

        with CaptureQueriesContext(connection) as cold:
            self.assertEqual(template.render(context), "4")
        with CaptureQueriesContext(connection) as warm:
            template.render(context)
        self.assertLessEqual(len(cold), 3)
        self.assertEqual(len(warm), 0)

    def test_an_article_without_insights_has_no_panel(self) -> None:
        Mention.objects.all().delete()
        self.article.insight_timeline.all().delete()
        self.article.insight_figures.all().delete()

        html = self.client.get(self.article.url).content.decode()

        self.assertEqual(self.client.get(self.article.url).status_code, 200)
        self.assertNotIn('class="insights"', html)
