"""Query budgets of every public page type, rendered from scratch (no whole-page cache).

Each page is read the way an editor or a signed-in reader reads it (a session
cookie: the page cache neither serves nor stores it), twice: *cold*, with the
cache empty (the first request after a purge: no fragments, no remembered
menu), and *warm*, assembled from the fragments the first request left. A
budget that breaks names the queries, so the change that added one is plain.
"""

from __future__ import annotations

import datetime
import io

from pypdf import PdfWriter

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.articles.services import analysis_index_page
from vestnik.events.factories import event_page
from vestnik.events.models import EventIndexPage, ParticipantRole
from vestnik.insights.models import Entity, Mention
from vestnik.polls.factories import poll_with_options
from vestnik.publications.factories import publication_in_library
from vestnik.publications.models import PublicationIndexPage
from vestnik.site.models import BlogIndexPage, ExpertIndexPage, HomePage, SectionPage
from vestnik.site.tests.content import site_with_blog_and_country
from vestnik.vocabulary.models import Region, Topic

SIGNED_IN = "sessionid=someone-signed-in"

# page: (cold, warm), as measured when the budgets were set. Cold fills the data
# caches, the routing cache (`core.routing`) and the fragments; warm is what an
# editor pays on every view between two publishes: a page routed through the
# routing cache and assembled from fragments reads only its own row (the page,
# the term or the entity), so the warm budget of such a page is one query.
# A page's cold cost includes its translations (`core.selectors.language_versions`:
# one query, plus the other locale's code the first time): the language switch
# and the hreflang links. Every page's cold cost also includes Wagtail's site root
# paths, which now list the English home too (one query more, then cached).
BUDGETS: dict[str, tuple[int, int]] = {
    "home": (18, 1),
    "section": (12, 1),
    "blog index": (11, 1),
    "expert blog": (17, 1),
    "expert index": (17, 7),
    # The profile lists the expert's analysis apart from their blog posts: its own
    # listing, the co-authors of its cards, their bylines and (cold) where the
    # analysis sections are in the tree; then their publications (the page, its
    # authors, its series) and the events they speak at.
    "expert profile": (27, 16),
    # Cold, its aside also ranks the related publications (one query) and reads
    # their authors and series (three). «Самое читаемое» reads its ranking's row
    # once the cache is emptied (one query; a purge keeps it, docs/readership.md).
    "article": (33, 1),
    "article print": (14, 7),
    "article cite.bib": (13, 6),
    "analysis index": (15, 1),
    # One more than a blog's article, cold: looking for its blog finds none, then its section.
    "analysis article": (34, 1),
    "poll archive": (8, 3),
    "poll detail": (7, 2),
    # One query per kind of page among the hits (core.indexing.indexed_pages_load).
    "search": (14, 9),
    "country index": (6, 1),
    # Cold, the first page also lists the term's publications (with their authors
    # and series) and events; events carry no regions.
    "country page": (17, 1),
    "topic page": (17, 1),
    "region page": (13, 1),
    "entity index": (6, 1),
    "entity page": (17, 1),
    "feed (all articles)": (14, 10),
    "feed (blog)": (12, 8),
    "sitemap": (12, 6),
    # Warm, the library's filter choices are remembered and its page of cards is a
    # fragment; a publication's whole text is fragments.
    "publications index": (23, 1),
    "publication": (18, 1),
    "feed (publications)": (15, 11),
    "events index": (13, 4),
    # Warm, its people, related reading and JSON-LD are fragments; the registration
    # state (seats taken, deadline) is read on every render.
    "event": (15, 2),
    "event .ics": (5, 1),
    "calendar": (5, 1),
}

# On PostgreSQL the search sets its own planner settings in a savepoint
# (docs/search.md): SAVEPOINT, set_config and RELEASE are three statements more.
POSTGRESQL_EXTRA = {"search": 3}


def minimal_pdf() -> bytes:
    """A one-page PDF: enough for a publication's file, without drawing one."""
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, cls.country = site_with_blog_and_country()
        cls.region = Region.objects.create(name_ru="Центральная Азия", slug="central-asia")
        cls.topic = Topic.objects.create(name_ru="Энергетика", slug="energy")
        cls.articles = []
        for number in range(4):
            article = article_in_blog(
                cls.blog,
                title=f"Транзит через Каспий, часть {number + 1}",
                date=datetime.date(2025, 11, 1) + datetime.timedelta(days=number),
            )
            article.countries.add(cls.country)
            article.regions.add(cls.region)
            article.topics.add(cls.topic)
            article.save_revision().publish()
            cls.articles.append(article)
        cls.entity = Entity.objects.create(kind="org", name="Морской порт Актау", slug="aktau")
        for article in cls.articles:
            Mention.objects.create(page=article, entity=cls.entity, count=2)
        # An analysis piece by two experts: the blog's expert and a second one.
        cls.analysis = article_in_blog(
            analysis_index_page(), title="Итоги года на Каспии", publish=False
        )
        cls.analysis.co_authors.set([cls.blog.expert, expert_with_blog("Асан Жакупов").expert])
        cls.analysis.countries.add(cls.country)
        cls.analysis.save_revision().publish()
        cls.poll = poll_with_options("Вырастет транзит через Каспий?", site_wide=True)
        cls.publications = []
        for number in range(3):
            publication = publication_in_library(
                title=f"Порты Каспия, выпуск {number + 1}",
                number=str(number + 1),
                authors=[cls.blog.expert, "Иван Петров"],
                pdf=minimal_pdf(),
                publish=False,
            )
            publication.countries.add(cls.country)
            publication.topics.add(cls.topic)
            publication.save_revision().publish()
            cls.publications.append(publication)
        events = EventIndexPage.objects.get(locale__language_code="ru")
        cls.event = event_page(
            events,
            title="Круглый стол о Каспии",
            participants=[{"expert": cls.blog.expert, "role": ParticipantRole.SPEAKER}],
            registration_open=True,
            capacity=20,
        )
        cls.event.countries.add(cls.country)
        cls.event.topics.add(cls.topic)
        cls.event.save_revision().publish()

    def urls(self) -> dict[str, str]:
        article = self.articles[0]
        experts = ExpertIndexPage.objects.get(locale__language_code="ru")
        return {
            "home": HomePage.objects.get(locale__language_code="ru").url,
            "section": SectionPage.objects.live().first().url,  # type: ignore[union-attr]
            "blog index": BlogIndexPage.objects.get(locale__language_code="ru").url,
            "expert blog": self.blog.url,
            "expert index": experts.url,
            "expert profile": f"{experts.url}{self.blog.expert.slug}/",
            "article": article.url,
            "article print": f"{article.url}print/",
            "article cite.bib": f"{article.url}cite.bib",
            "analysis index": analysis_index_page().url,
            "analysis article": self.analysis.url,
            "poll archive": reverse("polls:archive"),
            "poll detail": reverse("polls:detail", args=[self.poll.pk]),
            "search": reverse("search") + "?q=транзит",
            "country index": "/countries/",
            "country page": f"/countries/{self.country.slug}/",
            "topic page": f"/topics/{self.topic.slug}/",
            "region page": f"/regions/{self.region.slug}/",
            "entity index": reverse("insights:entity_index"),
            "entity page": reverse("insights:entity", args=[self.entity.slug]),
            "feed (all articles)": "/feeds/articles.rss",
            "feed (blog)": f"{self.blog.url}feed/",
            "sitemap": "/sitemap.xml",
            "publications index": PublicationIndexPage.objects.get(locale__language_code="ru").url,
            "publication": self.publications[0].url,
            "feed (publications)": (
                f"{PublicationIndexPage.objects.get(locale__language_code='ru').url}feed/"
            ),
            "events index": EventIndexPage.objects.get(locale__language_code="ru").url,
            "event": self.event.url,
            "event .ics": reverse("events:ics", args=[self.event.pk]),
            "calendar": reverse("events:calendar"),
        }

    def count(self, url: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)
        return len(queries), "\n".join(q["sql"][:200] for q in queries)

    def test_every_public_page_type_keeps_its_budget_cold_and_warm(self) -> None:
        self.client.cookies.load(SIGNED_IN)
        urls = self.urls()
        self.assertEqual(set(urls), set(BUDGETS))
        for name, url in urls.items():
            cold_budget, warm_budget = BUDGETS[name]
            if connection.vendor == "postgresql":
                cold_budget += POSTGRESQL_EXTRA.get(name, 0)
                warm_budget += POSTGRESQL_EXTRA.get(name, 0)
            with self.subTest(page=name):
                cache.clear()
                cold, cold_sql = self.count(url)
                warm, warm_sql = self.count(url)
                self.assertLessEqual(cold, cold_budget, f"{name} cold: {cold}\n{cold_sql}")
                self.assertLessEqual(warm, warm_budget, f"{name} warm: {warm}\n{warm_sql}")
