"""The article as a PDF: a valid file with the title, the notes, image credits and citation."""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
from urllib.parse import unquote

from PIL import Image as PILImage
from pypdf import PdfReader

from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings

from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.articles.pdf import LocalFetcher, pdf_name
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup

TITLE = "На перекрестке Евразии: динамика казахстанско-турецкого военного сотрудничества"
IISS = "The military balance 2024. International Institute of Strategic Studies."
MEDIA_ROOT = tempfile.mkdtemp(prefix="vestnik-pdf-test-")


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # Justified text and typography put no-break and odd spaces between words.
    return len(reader.pages), " ".join(text.replace("\xa0", " ").split())


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class ArticlePdfTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        blog.expert.affiliation = "Институт международных исследований"
        blog.expert.save()
        buffer = io.BytesIO()
        PILImage.new("RGB", (1200, 675), (90, 110, 140)).save(buffer, "JPEG")
        with override_settings(MEDIA_ROOT=MEDIA_ROOT):
            image = VestnikImage.objects.create(
                title="Учения",
                credit="пресс-служба президента РК",
                file=ImageFile(buffer, name="drill.jpg"),
            )
        paragraph = (
            "<p>С первых лет независимости Казахстан придерживается многовекторного курса, "
            "балансируя между мировыми центрами силы [^1]. Республика наращивает оборонный "
            "потенциал и расширяет круг военных партнёрств.</p>"
        )
        cls.article = article_in_blog(
            blog,
            title=TITLE,
            date=datetime.date(2025, 11, 28),
            lead="Казахстан расширяет военное сотрудничество с Турцией.",
            body=[
                ("paragraph", paragraph),
                (
                    "image",
                    {"image": image, "caption": "Совместные учения", "credit": "", "alt": ""},
                ),
                ("heading", {"text": "Эволюция сотрудничества", "level": "h2"}),
                *[("paragraph", paragraph.replace("[^1]", "[^2]"))] * 12,
            ],
            footnotes={
                "1": f"<p>{IISS} P. 543.</p>",
                "2": f"<p>{IISS} P. 67.</p>",
            },
        )
        english_paragraph = (
            "<p>Since independence Kazakhstan has kept a multi-vector course, balancing "
            "between the world's centres of power [^1].</p>"
        )
        cls.translation = english_translation(
            cls.article,
            title="At the crossroads of Eurasia",
            lead="Kazakhstan widens its military cooperation with Turkey.",
            body=[
                ("paragraph", english_paragraph),
                (
                    "image",
                    {
                        "image": image,
                        "caption": "Joint exercises",
                        "credit": "Press service of the President of Kazakhstan",
                        "alt": "",
                    },
                ),
                ("heading", {"text": "How cooperation evolved", "level": "h2"}),
                *[("paragraph", english_paragraph.replace("[^1]", "[^2]"))] * 6,
            ],
            footnotes={"1": f"<p>{IISS} P. 543.</p>", "2": "<p>English second note.</p>"},
        )

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)

    def get_pdf(self, path: str) -> bytes:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertRegex(
            response["Content-Disposition"], r'^inline; filename="zhakupov2025\w+\.pdf"$'
        )
        return bytes(response.content)

    def test_a_valid_pdf_with_title_notes_credit_and_citation(self) -> None:
        response = self.client.get(f"{self.article.url}pdf/")
        self.assertEqual(
            response["Content-Disposition"], 'inline; filename="zhakupov2025perekrestke.pdf"'
        )
        data = self.get_pdf(f"{self.article.url}pdf/")
        self.assertTrue(data.startswith(b"%PDF-"))
        pages, text = pdf_text(data)
        self.assertGreaterEqual(pages, 2)
        self.assertIn("На перекрестке Евразии", text)
        self.assertIn("Асан Жакупов", text)
        self.assertIn("Институт международных исследований", text)
        self.assertIn("28 ноября 2025", text)
        self.assertIn("Блог Асана Жакупова", text)
        self.assertIn("Источник: пресс-служба президента РК", text)
        self.assertIn("Совместные учения", text)
        self.assertIn("International Institute of Strategic Studies. P. 543.", text)
        self.assertIn("Примечания", text)
        self.assertIn("Жакупов А. На перекрестке Евразии", text)
        self.assertIn("Жакупов, А. (2025, November 28).", text)
        self.assertNotIn("[^1]", text)
        self.assertNotIn("дата обращения", text)  # the same file for every reader, on any day
        self.assertIn(f"1 / {pages}", text)  # running footer with page numbers
        reader = PdfReader(io.BytesIO(data))
        self.assertEqual(reader.metadata.title, TITLE)
        self.assertEqual(reader.metadata.author, "Асан Жакупов")

    def test_the_english_translation_is_an_english_paper(self) -> None:
        response = self.client.get(f"{self.translation.url}pdf/")
        self.assertEqual(
            response["Content-Disposition"], 'inline; filename="zhakupov2025crossroads.pdf"'
        )
        _pages, text = pdf_text(bytes(response.content))
        self.assertIn("At the crossroads of Eurasia", text)
        self.assertIn("Vestnik", text)
        self.assertIn("Asan Zhakupov's Blog", text)
        self.assertIn("Asan Zhakupov", text)
        self.assertIn("28 November 2025", text)
        self.assertIn("Notes", text)
        self.assertIn("English second note.", text)
        self.assertIn("Source: Press service of the President of Kazakhstan", text)
        self.assertIn("Joint exercises", text)
        self.assertIn("Zhakupov, A. (2025, November 28). At the crossroads of Eurasia.", text)
        self.assertIn("Zhakupov, Asan. “At the Crossroads of Eurasia.”", text)
        for russian in ("Примечания", "Источник", "Блог", "Жакупов", "ноября"):
            self.assertNotIn(russian, text)
        reader = PdfReader(io.BytesIO(response.content))
        self.assertEqual(reader.metadata.title, "At the crossroads of Eurasia")
        self.assertEqual(reader.metadata.author, "Asan Zhakupov")
        self.translation.refresh_from_db()
        self.assertTrue(default_storage.exists(pdf_name(self.translation, "en")))

    def test_the_russian_article_has_no_pdf_under_en(self) -> None:
        # Its old English address leads to the translation's PDF (vestnik/site/views.py).
        response = self.client.get(f"/en{self.article.url}pdf/")
        self.assertRedirects(response, f"{self.translation.url}pdf/", fetch_redirect_response=False)

    def test_rendered_once_per_revision_and_again_after_a_publish(self) -> None:
        path = f"{self.article.url}pdf/"
        first = self.get_pdf(path)
        self.article.refresh_from_db()
        name = pdf_name(self.article, "ru")
        self.assertTrue(default_storage.exists(name))
        with default_storage.open(name, "wb") as file:
            file.write(b"%PDF-1.7 stored copy")
        self.assertEqual(self.get_pdf(path), b"%PDF-1.7 stored copy")

        self.article.title = "Новое заглавие"
        self.article.save_revision().publish()
        self.article.refresh_from_db()
        fresh = self.get_pdf(path)
        self.assertNotEqual(fresh, first)
        self.assertIn("Новое заглавие", pdf_text(fresh)[1])
        self.assertFalse(default_storage.exists(name))  # the old revision's file is gone
        self.assertTrue(default_storage.exists(pdf_name(self.article, "ru")))

    def test_unpublished_articles_have_no_pdf(self) -> None:
        draft = article_in_blog(
            expert_with_blog("Ирина Соколова", "Ирины Соколовой"), title="Черновик", publish=False
        )
        self.assertEqual(self.client.get(f"{draft.url}pdf/").status_code, 404)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class MarkerInLinkPdfTests(TestCase):
    """A marker inside a link's address is part of the address in the PDF too."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.article = article_in_blog(
            expert_with_blog(),
            body=[
                ("paragraph", '<p>Данные <a href="http://x.example/[^1]">по ссылке</a> [^1].</p>')
            ],
            footnotes={"1": "<p>Источник данных.</p>"},
        )

    def test_the_link_keeps_its_address_and_the_text_marker_links_to_the_note(self) -> None:
        response = self.client.get(f"{self.article.url}pdf/")
        self.assertEqual(response.status_code, 200)
        reader = PdfReader(io.BytesIO(response.content))
        # WeasyPrint percent-encodes «^» in the address it writes.
        uris = [
            unquote(annotation.get_object()["/A"].get("/URI", ""))
            for page in reader.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation.get_object()
        ]
        self.assertIn("http://x.example/[^1]", uris)
        _pages, text = pdf_text(bytes(response.content))
        self.assertIn("по ссылке [1]", text)
        self.assertNotIn("[^1]", text)


class LocalFetcherTests(TestCase):
    def test_serves_static_files_and_refuses_the_network(self) -> None:
        fetcher = LocalFetcher("http://localhost")
        response = fetcher.fetch("http://localhost/static/css/pdf.css")
        self.assertIn(b"@page", response.read())
        self.assertEqual(response.content_type, "text/css")
        for url in (
            "https://fonts.example.com/font.woff2",
            "http://localhost.evil.example/static/css/pdf.css",
            "http://localhost/static/../../etc/passwd",
            "http://localhost/blogs/",
            "file:///etc/passwd",
        ):
            with self.subTest(url=url), self.assertRaises(ValueError):
                fetcher.fetch(url)
