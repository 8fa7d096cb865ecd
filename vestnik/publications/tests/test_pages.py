"""The library and a publication as readers, machines and editors see them."""

from __future__ import annotations

import json
import logging
import re

import bibtexparser
import rispy

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Locale, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from vestnik.authors.models import Expert
from vestnik.publications.demo import demo_pdf
from vestnik.publications.factories import pdf_document, publication_in_library, series_ensure
from vestnik.publications.models import DownloadCount, PublicationPage
from vestnik.publications.services import download_count_increment, publications_index_ensure
from vestnik.publications.tests.test_models import PHRASE, encrypted, long_paragraphs
from vestnik.site.services import site_setup
from vestnik.site.tests.accounts import account_for, editor_account
from vestnik.vocabulary.models import Country, Topic


def meta_tags(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)


class LibraryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.index = publications_index_ensure()
        cls.expert = Expert.objects.create(full_name="Асан Жакупов", slug="asan-zhakupov")
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.energy = Topic.objects.create(name_ru="Энергетика", name_en="Energy", slug="energy")
        cls.papers = series_ensure()
        cls.reports = series_ensure("Доклады", item_name="Доклад", slug="reports")
        cls.paper = publication_in_library(
            authors=[cls.expert, "Пётр Иванов"],
            paragraphs=long_paragraphs(),
            isbn="978-5-00000-000-0",
            doi="10.1234/vestnik.91",
            place="Москва",
            print_edition="М.: Вестник, 2025. 48 с.",
        )
        cls.paper.countries.add(cls.kz)
        cls.paper.topics.add(cls.energy)
        cls.paper.save_revision().publish()
        cls.report = publication_in_library(
            title="Энергетический переход в Центральной Азии",
            series=cls.reports,
            number="3",
            year=2024,
            authors=["Мария Петрова"],
        )
        cls.draft = publication_in_library(
            title="Черновик доклада", number="92", paragraphs=["Черновик."], publish=False
        )
        cls.private = publication_in_library(
            title="Закрытый доклад", number="93", paragraphs=["Только для своих."]
        )
        PageViewRestriction.objects.create(page=cls.private, restriction_type="login")

    def get(self, path: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        # Typography binds short words with no-break spaces; the tests read words.
        return response.content.decode().replace("\xa0", " ")

    # --- the library ---------------------------------------------------------

    def test_listing_shows_public_publications_only(self) -> None:
        html = self.get("/publications/")
        self.assertIn("Каспийский транзит: порты и тарифы", html)
        self.assertIn("Энергетический переход", html)
        self.assertNotIn("Черновик доклада", html)
        self.assertNotIn("Закрытый доклад", html)
        for name in ("series", "year", "topic", "country", "author"):
            self.assertIn(f'<label for="id_{name}">', html)

    def test_filters(self) -> None:
        cases = {
            f"series={self.reports.pk}": "Энергетический",
            "year=2025": "Каспийский",
            f"topic={self.energy.pk}": "Каспийский",
            f"country={self.kz.pk}": "Каспийский",
            f"author={self.expert.pk}": "Каспийский",
        }
        for query, expected in cases.items():
            html = self.get(f"/publications/?{query}")
            section = html.split('aria-label="Publications"', 1)[-1]
            found = {"Каспийский" in section, "Энергетический" in section}
            self.assertEqual(found, {True, False}, query)
            self.assertIn(expected, section, query)

    def test_bad_filter_values_are_ignored(self) -> None:
        html = self.get("/publications/?series=abc&year=1&author=999999")
        self.assertIn("Каспийский", html)

    # --- a publication -------------------------------------------------------

    def test_publication_page(self) -> None:
        html = self.get(self.paper.url)
        self.assertIn('<h1 id="publication-title" class="publication__title">', html)
        self.assertIn("Рабочая тетрадь", html)
        self.assertIn('<a rel="author" href=', html)
        self.assertIn("Пётр Иванов", html)
        download = reverse("publications:download", args=[self.paper.pk])
        self.assertIn(f'href="{download}"', html)
        self.assertIn("М.: Вестник, 2025. 48 с.", html)
        self.assertIn("978-5-00000-000-0", html)
        self.assertIn('href="https://doi.org/10.1234/vestnik.91"', html)
        self.assertIn("Казахстан", html)
        self.assertRegex(html, r"PDF, [\d,.]+\s\S+, ")

    def test_highwire_tags(self) -> None:
        tags = meta_tags(self.get(self.paper.url))
        names = [name for name, _value in tags]
        self.assertEqual(names.count("citation_title"), 1)
        self.assertIn(("citation_author", "Жакупов, Асан"), tags)
        self.assertIn(("citation_author", "Иванов, Пётр"), tags)
        self.assertIn(("citation_publication_date", "2025/11/28"), tags)
        self.assertIn(("citation_technical_report_number", "91/2025"), tags)
        self.assertIn(("citation_doi", "10.1234/vestnik.91"), tags)
        pdf_url = dict(tags)["citation_pdf_url"]
        self.assertTrue(pdf_url.endswith(f"/publications/{self.paper.pk}/download/"), pdf_url)
        self.assertTrue(pdf_url.startswith("http"))

    def test_how_to_cite(self) -> None:
        html = self.get(self.paper.url)
        self.assertIn("рабочая тетрадь", html)
        self.assertIn("Москва : ", html)
        self.assertIn("https://doi.org/10.1234/vestnik.91", html)

    def test_citation_files_parse(self) -> None:
        bib = self.client.get(reverse("publications:cite", args=[self.paper.pk, "bib"]))
        self.assertEqual(bib.status_code, 200)
        library = bibtexparser.parse_string(bib.content.decode())
        entry = library.entries[0]
        self.assertEqual(entry.entry_type, "techreport")
        self.assertEqual(entry.fields_dict["number"].value, "91/2025")
        self.assertIn("institution", entry.fields_dict)
        self.assertEqual(entry.fields_dict["isbn"].value, "978-5-00000-000-0")

        ris = self.client.get(reverse("publications:cite", args=[self.paper.pk, "ris"]))
        record = rispy.loads(ris.content.decode())[0]
        self.assertEqual(record["type_of_reference"], "RPRT")
        self.assertEqual(record["authors"], ["Жакупов, Асан", "Иванов, Пётр"])
        self.assertEqual(record["number"], "91/2025")
        self.assertEqual(record["doi"], "10.1234/vestnik.91")

        csl = self.client.get(reverse("publications:cite", args=[self.paper.pk, "json"]))
        item = json.loads(csl.content)[0]
        self.assertEqual(item["type"], "report")
        self.assertEqual(item["number"], "91/2025")
        self.assertEqual(item["genre"], "Рабочая тетрадь")
        self.assertEqual(item["author"][0], {"family": "Жакупов", "given": "Асан"})

        self.assertEqual(
            self.client.get(reverse("publications:cite", args=[self.paper.pk, "xml"])).status_code,
            404,
        )
        self.assertEqual(
            self.client.get(reverse("publications:cite", args=[self.draft.pk, "bib"])).status_code,
            404,
        )

    # --- downloads -----------------------------------------------------------

    def test_download_counts_and_serves_the_file(self) -> None:
        url = reverse("publications:download", args=[self.paper.pk])
        for _ in range(3):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertIn("no-store", response["Cache-Control"])
            self.assertIn("attachment", response["Content-Disposition"])
            self.assertFalse(response.has_header("X-Accel-Expires"))
            self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        count = DownloadCount.objects.get(page=self.paper, date=timezone.localdate())
        self.assertEqual(count.count, 3)
        self.assertEqual(self.client.head(url).status_code, 200)
        self.assertEqual(DownloadCount.objects.get(pk=count.pk).count, 3)

    @override_settings(VESTNIK_PUBLICATIONS_X_ACCEL_PREFIX="/internal-media/")
    def test_download_through_nginx(self) -> None:
        response = self.client.get(reverse("publications:download", args=[self.paper.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["X-Accel-Redirect"], f"/internal-media/{self.paper.pdf.file.name}"
        )
        self.assertEqual(response.content, b"")

    @override_settings(VESTNIK_PUBLICATIONS_X_ACCEL_PREFIX="/internal-media/")
    def test_a_cyrillic_file_name_is_percent_encoded(self) -> None:
        page = publication_in_library(title="Доклад о портах", number="7", pdf=b"%PDF-1.4")
        page.pdf.file.name = "documents/доклад.pdf"
        page.pdf.save()
        response = self.client.get(reverse("publications:download", args=[page.pk]))
        self.assertEqual(
            response["X-Accel-Redirect"],
            "/internal-media/documents/%D0%B4%D0%BE%D0%BA%D0%BB%D0%B0%D0%B4.pdf",
        )
        self.assertIn("doklad-o-portakh.pdf", response["Content-Disposition"])

    def test_drafts_private_and_fileless_are_not_downloadable(self) -> None:
        for page in (self.draft, self.private, self.report):
            response = self.client.get(reverse("publications:download", args=[page.pk]))
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get("/publications/999999/download/").status_code, 404)
        self.assertFalse(DownloadCount.objects.filter(page__in=[self.draft, self.private]).exists())

    def test_increment_creates_then_updates(self) -> None:
        day = timezone.localdate()
        download_count_increment(self.report, day=day)
        download_count_increment(self.report, day=day)
        self.assertEqual(DownloadCount.objects.get(page=self.report, date=day).count, 2)

    # --- English -------------------------------------------------------------

    def test_english_translation_renders(self) -> None:
        publications_index_ensure("en")
        locale = Locale.objects.get(language_code="en")
        series = self.papers.copy_for_translation(locale)
        series.name, series.item_name = "Working Papers", "Working Paper"
        series.save()
        translation = self.paper.copy_for_translation(locale)
        translation.title = translation.draft_title = "Caspian transit: ports and tariffs"
        translation.abstract = "How transit across the Caspian grows."
        translation.save_revision().publish()
        html = self.get(translation.url)
        self.assertTrue(translation.url.startswith("/en/publications/"))
        self.assertIn('lang="en"', html)
        self.assertIn("Asan Zhakupov", html)
        self.assertIn("Caspian transit", html)
        self.assertIn(("citation_language", "en"), meta_tags(html))
        listing = self.get("/en/publications/")
        self.assertIn("Caspian transit", listing)
        self.assertNotIn("Каспийский транзит", listing)
        self.assertIn("Working Paper No. 91/2025", html)
        self.assertIn(f'<option value="{self.papers.pk}">Working Papers</option>', listing)


class AdminFormTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.index = publications_index_ensure()
        cls.series = series_ensure()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        cls.pdf = demo_pdf("Каспийский транзит", long_paragraphs())

    def setUp(self) -> None:
        self.client.force_login(self.admin)
        # A broken PDF is logged as a warning; the test reads the editor's message.
        logging.disable(logging.WARNING)
        self.addCleanup(logging.disable, logging.NOTSET)

    def post(self, content: bytes, *, file_name: str = "paper.pdf", slug: str = "paper"):  # type: ignore[no-untyped-def]
        document = pdf_document("Файл", content, file_name=file_name)
        data = nested_form_data(
            {
                "title": "Каспийский транзит",
                "slug": slug,
                "series": self.series.pk,
                "number": "91",
                "year": 2025,
                "publication_date": "2025-11-28",
                "abstract": "Аннотация.",
                "pdf": document.pk,
                "authors": inline_formset([]),
                "body": streamfield([]),
                "countries": "",
                "regions": "",
                "topics": "",
            }
        )
        url = reverse(
            "wagtailadmin_pages:add", args=["publications", "publicationpage", self.index.pk]
        )
        return self.client.post(url, data, follow=True)

    def test_good_pdf_is_read(self) -> None:
        response = self.post(self.pdf)
        self.assertEqual(response.status_code, 200)
        page = PublicationPage.objects.get(slug="paper")
        latest = page.get_latest_revision_as_object()
        self.assertGreater(latest.page_count or 0, 5)
        self.assertIn(PHRASE, " ".join(latest.pdf_text.split()))

    def test_encrypted_pdf_is_stored_with_a_warning(self) -> None:
        response = self.post(encrypted(self.pdf), slug="locked")
        self.assertEqual(response.status_code, 200)
        latest = PublicationPage.objects.get(slug="locked").get_latest_revision_as_object()
        self.assertEqual((latest.pdf_problem, latest.pdf_text), ("encrypted", ""))
        warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
        self.assertEqual(len(warnings), 1)
        self.assertIn("паролем", str(warnings[0]))  # the admin speaks Russian

    def test_broken_pdf_is_stored_with_a_warning(self) -> None:
        response = self.post(self.pdf[: len(self.pdf) // 3], slug="broken")
        self.assertEqual(response.status_code, 200)
        latest = PublicationPage.objects.get(slug="broken").get_latest_revision_as_object()
        self.assertEqual(latest.pdf_problem, "malformed")
        self.assertTrue([m for m in response.context["messages"] if m.level_tag == "warning"])

    def test_not_a_pdf_is_refused(self) -> None:
        response = self.post(b"PK\x03\x04 not a pdf", slug="zip")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PublicationPage.objects.filter(slug="zip").exists())
        self.assertIn("pdf", response.context["form"].errors)
        response = self.post(self.pdf, file_name="paper.docx", slug="docx")
        self.assertFalse(PublicationPage.objects.filter(slug="docx").exists())

    def test_downloads_report(self) -> None:
        page = publication_in_library(paragraphs=["Текст."])
        download_count_increment(page)
        response = self.client.get(reverse("publication_downloads"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'<td data-downloads="{page.pk}">1</td>', html=False)
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        self.assertEqual(edit.status_code, 200)
        self.assertContains(edit, "data-pdf-status")

    def test_the_downloads_report_is_the_editors_not_an_authors(self) -> None:
        editor = editor_account()
        author = account_for(Expert.objects.create(full_name="Асан Жакупов"), "author")
        self.client.force_login(editor)
        self.assertEqual(self.client.get(reverse("publication_downloads")).status_code, 200)
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), "publication-downloads")
        self.client.force_login(author)
        # Wagtail's admin answers a refusal with its home and «no permission».
        refused = self.client.get(reverse("publication_downloads"))
        self.assertRedirects(refused, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), "publication-downloads"
        )
