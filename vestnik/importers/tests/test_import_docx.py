"""`manage.py import_docx`: manuscripts in, articles out; a batch survives its bad files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.articles.services import placeholder_image_bytes
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.importers.services import import_upload
from vestnik.importers.tests.manuscripts import word_resave
from vestnik.importers.tests.test_docx import PHOTO, TITLE, full_manuscript
from vestnik.importers.tests.test_import_page import article_text, counts
from vestnik.importers.tests.test_safety import ole2_file, small_docx
from vestnik.site.services import site_setup

ARTICLE_PATH = "/blogs/dina-tokaeva/kaspiyskiy-tranzit-novye-marshruty/"


def run(*args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("import_docx", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


class ImportDocxCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, name: str, data: bytes) -> Path:
        path = self.directory / name
        path.write_bytes(data)
        return path

    def test_a_manuscript_becomes_a_draft_and_prints_its_path_last(self) -> None:
        path = self.write("Токаева — Каспий.docx", full_manuscript().to_bytes())

        lines, err = run(str(path))

        self.assertEqual(lines[0], f"created: «{TITLE}» (draft)")
        self.assertEqual(lines[-1], ARTICLE_PATH)
        self.assertIn("warning: Word footnote «Забытая сноска.» is referenced nowhere", err)
        article = ArticlePage.objects.get()
        self.assertFalse(article.live)
        expert = Expert.objects.get()
        self.assertEqual(
            (expert.full_name, expert.name_genitive), ("Дина Токаева", "Дины Токаевой")
        )
        self.assertEqual([f.key for f in article.footnotes.all()], ["1", "2", "3", "4"])
        self.assertEqual(
            [block.block_type for block in article.body],
            [
                *("heading", "paragraph", "heading", "paragraph", "paragraph"),
                *("table", "quote", "image", "paragraph"),
            ],
        )

    def test_the_image_is_stored_with_its_bytes_caption_and_credit(self) -> None:
        run(str(self.write("manuscript.docx", full_manuscript().to_bytes())))
        image = VestnikImage.objects.get()
        with image.file.open("rb") as stored:
            self.assertEqual(stored.read(), PHOTO)
        self.assertNotEqual(PHOTO, placeholder_image_bytes())
        self.assertEqual(image.credit, "пресс-служба порта")
        block = next(b for b in ArticlePage.objects.get().body if b.block_type == "image")
        self.assertEqual(block.value["caption"], "Порт Актау.")
        self.assertEqual(block.value["alt"], "Краны порта Актау")

    def test_published_article_renders_every_element(self) -> None:
        lines, _ = run(
            str(self.write("manuscript.docx", full_manuscript().to_bytes())), "--publish"
        )
        self.assertEqual(lines[0], f"created: «{TITLE}» (published)")

        response = self.client.get(lines[-1])

        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        text = article_text(html)
        for fragment in (
            'id="porty-i-paromy"',
            "<h3",
            "<b>вырос вдвое</b>",
            "<i>два года</i>",
            'href="https://example.org/report?year=2024&amp;lang=ru"',
            "<ul><li>нехватка паромов</li>",
            "<ol><li>построить терминалы</li>",
            "<th",
            "<blockquote>",
            "пресс-служба порта",
        ):
            self.assertIn(fragment, html if fragment.startswith("id=") else text)
        # Notes are linked both ways; the second reference to note 1 has its own id.
        self.assertIn('href="#fn-1" id="fnref-1" role="doc-noteref"', html)
        self.assertIn('href="#fn-3" id="fnref-3" role="doc-noteref"', html)
        self.assertEqual(len(re.findall(r'role="doc-endnote"', html)), 4)
        self.assertIn('href="#fnref-1" role="doc-backlink"', html)
        self.assertIn("Концевая сноска.", html)
        self.assertNotIn("[^", html)

    def test_author_option_wins_and_an_existing_expert_is_matched_by_name(self) -> None:
        existing = Expert.objects.create(
            full_name="Асан Жакупов", name_genitive="Асана Жакупова", slug="asan-zhakupov"
        )
        run(str(self.write("m.docx", full_manuscript().to_bytes())), "--author", " Асан  Жакупов ")
        self.assertEqual(Expert.objects.get(), existing)
        self.assertEqual(BlogPage.objects.get().expert, existing)

    def test_importing_the_same_manuscript_again_changes_nothing(self) -> None:
        path = self.write("m.docx", full_manuscript().to_bytes())
        run(str(path))
        before = counts()
        lines, _ = run(str(path))
        self.assertEqual(lines[0], f"unchanged: «{TITLE}» (draft)")
        self.assertEqual(counts(), before)

    def test_a_word_resave_of_the_same_text_is_unchanged_an_edit_is_a_revision(self) -> None:
        original = full_manuscript().to_bytes()
        run(str(self.write("m.docx", original)))
        article = ArticlePage.objects.get()
        before = counts()

        # Opened in Word and saved again, then uploaded in the admin.
        resaved = word_resave(original)
        self.assertNotEqual(resaved, original)
        result = import_upload(data=resaved, filename="m.docx")

        self.assertEqual((result.created, result.changed), (False, False))
        self.assertEqual(counts(), before)
        self.assertEqual(article.revisions.count(), 1)

        # The author changes one paragraph and saves again.
        edited = word_resave(resaved, session="00B7E2D4", edits={"и снова": "и ещё раз"})
        lines, _ = run(str(self.write("m.docx", edited)))

        self.assertEqual(lines[0], f"updated: «{TITLE}» (draft)")
        self.assertEqual(ArticlePage.objects.get().pk, article.pk)
        self.assertEqual(article.revisions.count(), 2)
        latest = ArticlePage.objects.get().get_latest_revision_as_object()
        paragraphs = [b.value.source for b in latest.body if b.block_type == "paragraph"]
        self.assertIn("<p>Вторая сноска[^2], концевая[^3] и ещё раз первая.</p>", paragraphs)

    def test_bad_files_fail_with_one_message_and_leave_nothing(self) -> None:
        cases = {
            "renamed.docx": (b"%PDF-1.5\n...", "This is a PDF renamed .docx"),
            "old.docx": (ole2_file("WordDocument"), "Word 97–2003 document (.doc)"),
            "locked.docx": (ole2_file("EncryptedPackage"), "protected with a password"),
            "cut.docx": (small_docx()[:900], "damaged or incomplete"),
        }
        before = counts()
        for name, (data, message) in cases.items():
            path = self.write(name, data)
            with self.subTest(name), self.assertRaises(CommandError) as raised:
                run(str(path))
            self.assertEqual(str(raised.exception).split(": ", 1)[0], str(path))
            self.assertIn(message, str(raised.exception))
        self.assertEqual(counts(), before)

    def test_a_directory_is_a_batch_with_a_summary_table(self) -> None:
        batch = self.directory / "batch"
        batch.mkdir()
        (batch / "a-good.docx").write_bytes(full_manuscript().to_bytes())
        (batch / "b-pdf.docx").write_bytes(b"%PDF-1.4 not a manuscript")
        second = full_manuscript()
        second.document.paragraphs[0].text = "Второй текст о Каспии"
        (batch / "c-good.docx").write_bytes(second.to_bytes())
        (batch / "d-cut.docx").write_bytes(small_docx()[:500])
        (batch / "~$a-good.docx").write_bytes(b"Word's lock file")
        (batch / "notes.txt").write_text("not a manuscript")
        out, err = StringIO(), StringIO()

        with self.assertRaisesMessage(CommandError, "2 of 4 files were not imported."):
            call_command("import_docx", str(batch), stdout=out, stderr=err)

        table = out.getvalue().splitlines()
        self.assertEqual(table[0].split(), ["file", "result", "article", "or", "reason"])
        rows = {Path(line.split()[0]).name: line for line in table[2:]}
        self.assertEqual(sorted(rows), ["a-good.docx", "b-pdf.docx", "c-good.docx", "d-cut.docx"])
        self.assertIn(f"created (draft)  {ARTICLE_PATH}", rows["a-good.docx"])
        self.assertIn("failed", rows["b-pdf.docx"])
        self.assertIn("This is a PDF renamed .docx", rows["b-pdf.docx"])
        self.assertIn("damaged or incomplete", rows["d-cut.docx"])
        self.assertIn("/blogs/dina-tokaeva/vtoroy-tekst-o-kaspii/", rows["c-good.docx"])
        self.assertIn("[4/4]", err.getvalue())
        self.assertEqual(ArticlePage.objects.count(), 2)


class ExitStatusTests(TestCase):
    def test_a_batch_with_a_bad_file_exits_with_1(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "renamed.docx"
            path.write_bytes(b"%PDF-1.4")
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "vestnik.settings.test"
                ),
            }
            completed = subprocess.run(
                [
                    sys.executable,
                    str(Path(settings.BASE_DIR) / "manage.py"),
                    "import_docx",
                    str(path),
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
                check=False,
            )
        self.assertEqual(completed.returncode, 1)
        self.assertEqual(completed.stdout, "")
        self.assertEqual(
            completed.stderr.strip(),
            f"CommandError: {path}: This is a PDF renamed .docx, not a Word document. "
            "Upload the manuscript as .docx (in Word: File → Save As → Word Document).",
        )
