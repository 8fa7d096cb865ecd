"""Series, labels, the PDF's page count and text, and `publication_text`."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader, PdfWriter

from django.test import TestCase
from django.utils import translation

from vestnik.authors.models import Expert
from vestnik.publications.demo import demo_pdf
from vestnik.publications.factories import publication_in_library, series_ensure
from vestnik.publications.models import PublicationAuthor, PublicationPage
from vestnik.publications.pdf import pdf_inspect
from vestnik.publications.text import publication_text
from vestnik.site.services import site_setup

PHRASE = "тарифы каспийских портов выросли втрое"


def long_paragraphs() -> list[str]:
    filler = "Транзит через Каспийское море растёт, и порты не успевают за ним. " * 6
    return [filler for _ in range(40)] + [f"На последней странице: {PHRASE}."]


def encrypted(pdf: bytes, password: str = "secret") -> bytes:  # noqa: S107 (a test file's)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PdfTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.pdf = demo_pdf("Каспийский транзит", long_paragraphs())

    def test_page_count_and_text_of_a_generated_pdf(self) -> None:
        info = pdf_inspect(io.BytesIO(self.pdf))
        self.assertEqual(info.problem, "")
        self.assertGreater(info.page_count or 0, 5)
        self.assertEqual(info.page_count, len(PdfReader(io.BytesIO(self.pdf)).pages))
        self.assertIn(PHRASE, " ".join(info.text.split()))

    def test_encrypted_pdf(self) -> None:
        info = pdf_inspect(io.BytesIO(encrypted(self.pdf)))
        self.assertEqual((info.problem, info.text, info.page_count), ("encrypted", "", None))

    def test_pdf_with_an_empty_user_password_is_read(self) -> None:
        info = pdf_inspect(io.BytesIO(encrypted(self.pdf, password="")))
        self.assertEqual(info.problem, "")
        self.assertIn(PHRASE, " ".join(info.text.split()))

    def test_malformed_and_not_a_pdf(self) -> None:
        with self.assertLogs("vestnik.publications.pdf", logging.WARNING):
            self.assertEqual(
                pdf_inspect(io.BytesIO(self.pdf[: len(self.pdf) // 3])).problem, "malformed"
            )
            self.assertEqual(pdf_inspect(io.BytesIO(b"%PDF-1.7\nnonsense")).problem, "malformed")
        self.assertEqual(pdf_inspect(io.BytesIO(b"PK\x03\x04 a zip")).problem, "not_pdf")

    def test_text_is_bounded(self) -> None:
        with self.settings(VESTNIK_PUBLICATIONS_PDF_TEXT_MAX_CHARS=500):
            info = pdf_inspect(io.BytesIO(self.pdf))
        self.assertLessEqual(len(info.text), 500)
        self.assertGreater(info.page_count or 0, 5)


class PublicationModelTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.expert = Expert.objects.create(full_name="Асан Жакупов", slug="asan-zhakupov")
        cls.page = publication_in_library(
            authors=[cls.expert, "Пётр Иванов"],
            paragraphs=long_paragraphs(),
            body=[("paragraph", "<p>Веб-версия доклада.</p>")],
        )

    def test_label(self) -> None:
        # The page's language writes it: «№ 91» once the Russian catalogue has the msgid.
        with translation.override("en"):
            self.assertRegex(self.page.label, r"^Рабочая тетрадь (No\. |№\xa0)91/2025$")
        self.assertEqual(self.page.report_number, "91/2025")

    def test_series_name_used_without_singular(self) -> None:
        series = series_ensure("Доклады", item_name="", slug="reports")
        self.assertEqual(series.singular, "Доклады")

    def test_pdf_read_on_save(self) -> None:
        page = PublicationPage.objects.get(pk=self.page.pk)
        self.assertGreater(page.page_count or 0, 5)
        self.assertIn(PHRASE, " ".join(page.pdf_text.split()))
        self.assertEqual(page.pdf_problem, "")
        self.assertTrue(page.pdf_source.startswith(f"{page.pdf_id}:"))

    def test_publication_text(self) -> None:
        text = publication_text(PublicationPage.objects.get(pk=self.page.pk))
        self.assertTrue(text.startswith("Каспийский транзит: порты и тарифы\n"))
        self.assertIn("Как растёт транзит", text)
        self.assertIn("Веб-версия доклада.", text)
        self.assertIn(PHRASE, " ".join(text.split()))

    def test_authors_in_order(self) -> None:
        names = [a.name_in("ru") for a in self.page.authors.order_by("sort_order")]
        self.assertEqual(names, ["Асан Жакупов", "Пётр Иванов"])
        self.assertEqual(PublicationAuthor(expert=self.expert).name_in("en"), "Asan Zhakupov")

    def test_author_needs_expert_or_name(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            PublicationAuthor(page=self.page).clean()
        with self.assertRaises(ValidationError):
            PublicationAuthor(page=self.page, expert=self.expert, name="Кто-то").clean()
