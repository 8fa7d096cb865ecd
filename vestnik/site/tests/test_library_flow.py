"""A reader's way through the publications library, across apps: a phrase from page 4
of a working paper's PDF finds it in search, the download is counted and is the
file, the citation files name it as a report, and the countries its PDF names
reach the entity pages."""

from __future__ import annotations

import bibtexparser
import rispy

from django.test import TestCase
from django.urls import reverse

from vestnik.authors.models import Expert
from vestnik.insights.models import Entity, Mention
from vestnik.publications.factories import publication_in_library, series_ensure
from vestnik.publications.models import DownloadCount, PublicationPage
from vestnik.site.tests.content import site_with_blog_and_country

PHRASE = "паромный флот на Каспии придётся удвоить до конца десятилетия"
PARAGRAPHS = [
    "Введение описывает маршрут через Каспийское море и его участников.",
    "Вторая глава посвящена портам восточного берега и их причалам.",
    "Третья глава сравнивает сквозные тарифы на контейнерные перевозки.",
    f"Главный вывод доклада: {PHRASE}, иначе расписание не станет надёжным. "
    "Туркменистан и Азербайджан уже заказали новые суда на своих верфях.",
]


class LibraryFlowTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.blog, _ = site_with_blog_and_country()
        # Publishing enqueues the extraction after commit, as in production.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.paper = cls._paper(cls.blog.expert)

    @staticmethod
    def _paper(expert: Expert) -> PublicationPage:
        return publication_in_library(
            title="Каспийский транзит: порты, тарифы, флот",
            series=series_ensure("Рабочие тетради", "Рабочая тетрадь", slug="working-papers"),
            number="91",
            year=2025,
            authors=[expert],
            paragraphs=PARAGRAPHS * 4,
        )

    def test_a_phrase_from_the_pdf_finds_the_paper_which_downloads_and_cites(self) -> None:
        self.assertGreater(self.paper.page_count or 0, 1)
        results = self.client.get(reverse("search"), {"q": PHRASE})
        self.assertContains(results, self.paper.url)
        self.assertContains(results, 'data-kind="publication"')

        download = self.client.get(reverse("publications:download", args=[self.paper.pk]))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.paper.pdf.file.open("rb")
        self.assertEqual(b"".join(download.streaming_content), self.paper.pdf.file.read())
        self.assertEqual(DownloadCount.objects.get(page=self.paper).count, 1)

        bibtex = self.client.get(reverse("publications:cite", args=[self.paper.pk, "bib"]))
        entry = bibtexparser.parse_string(bibtex.content.decode()).entries[0]
        self.assertEqual(entry.entry_type, "techreport")
        self.assertEqual(entry["number"], "91/2025")
        ris = self.client.get(reverse("publications:cite", args=[self.paper.pk, "ris"]))
        record = rispy.loads(ris.content.decode())[0]
        self.assertEqual(record["type_of_reference"], "RPRT")
        page = self.client.get(self.paper.url)
        self.assertContains(page, 'name="citation_technical_report_number" content="91/2025"')
        self.assertContains(page, 'name="citation_pdf_url"')

    def test_the_countries_its_pdf_names_reach_the_entity_pages(self) -> None:
        turkmenistan = Entity.objects.filter(name="Туркменистан").first()
        self.assertIsNotNone(turkmenistan)
        self.assertTrue(Mention.objects.filter(page=self.paper, entity=turkmenistan).exists())
        response = self.client.get(reverse("insights:entity", args=[turkmenistan.slug]))
        self.assertContains(response, self.paper.title)
