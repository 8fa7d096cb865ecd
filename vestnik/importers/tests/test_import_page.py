"""`manage.py import_page`: saved page files in, readable articles out (or a clear refusal)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from vestnik.articles.drafts import PollDraft
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.importers.errors import ImportFailed
from vestnik.importers.services import import_page_bytes, import_upload
from vestnik.site.services import site_setup

FILES = Path(__file__).parent / "files"
REFERENCE = FILES / "reference_page.txt"
# The title's slug is cut at a word boundary, within 80 characters.
REFERENCE_PATH = (
    "/blogs/asan-zhakupov/na-perekrestke-evrazii-dinamika-kazakhstansko-turetskogo-voennogo/"
)
TOKAEVA_PATH = (
    "/blogs/dina-tokaeva/voda-kak-resurs-vliyaniya-transgranichnye-reki-tsentralnoy-azii/"
)
SOKOLOV_PATH = (
    "/blogs/igor-petrovich-sokolov/bespilotniki-na-yuzhnom-kavkaze-uroki-poslednikh-konfliktov/"
)
BELETSKAYA_PATH = "/blogs/olga-beletskaya/torgovye-koridory-evrazii-posle-2022-goda/"
CHROME = (
    "Распечатать",
    "Поделиться статьей",
    "Социальная сеть запрещена",
    "Прошедший опрос",
    "Отметьте не более",
    "Увеличение количества мусора",
)


def run_import(path: Path, *args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("import_page", str(path), *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def article_text(html: str) -> str:
    """The lead and the body of a rendered article, without the site's own furniture.

    The site itself has a print link, share links and audience sections, so the
    imported page's copies of them are looked for only where the article is.
    """
    lead = html.split('class="article__lead">', 1)[1].split("</p>", 1)[0]
    body = html.split('class="article__body">', 1)[1]
    body = re.split(r'class="(?:footnotes|share)"|</article>', body, maxsplit=1)[0]
    return (lead + body).replace("\xa0", " ")


def counts() -> tuple[int, int, int, int]:
    return (
        ArticlePage.objects.count(),
        Expert.objects.count(),
        BlogPage.objects.count(),
        VestnikImage.objects.count(),
    )


class ImportPageCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def test_reference_page_imports_as_a_draft_and_prints_its_path_last(self) -> None:
        lines, err = run_import(REFERENCE)

        self.assertTrue(lines[0].startswith("created: «На перекрестке Евразии"), lines)
        self.assertIn("(draft)", lines[0])
        self.assertEqual(lines[-1], REFERENCE_PATH)
        # The image is not in a text file: a placeholder stands in, with a warning.
        self.assertIn("62a67cd3-ea5e-4f95-af49-411091f4400d_NV5aMzo.jpg", err)
        article = ArticlePage.objects.get()
        self.assertFalse(article.live)
        self.assertEqual(article.get_url(), REFERENCE_PATH)
        expert = Expert.objects.get()
        self.assertEqual(
            (expert.full_name, expert.name_genitive), ("Асан Жакупов", "Асана Жакупова")
        )
        self.assertEqual(BlogPage.objects.get().title, "Блог Асана Жакупова")

    def test_reference_page_published_renders_at_its_url(self) -> None:
        lines, _ = run_import(REFERENCE, "--publish")
        self.assertIn("(published)", lines[0])

        response = self.client.get(lines[-1])

        self.assertEqual(response.status_code, 200)
        # The typographer binds short words with no-break spaces; compare words.
        html = response.content.decode().replace("\xa0", " ")
        for text in (
            "Блог Асана Жакупова",
            "Асан Жакупов",
            "С первых лет обретения независимости",
            "Эволюция казахстанско-турецкой военной кооперации",
            "Основные направления военного сотрудничества",
            "пресс-служба президента РК",
            "International Institute of Strategic Studies. P. 543.",
            'role="doc-noteref"',
            'id="fn-3"',
        ):
            self.assertIn(text, html)
        self.assertNotIn("[[1]]", html)
        self.assertNotIn("[^1]", html)
        text = article_text(html)
        for chrome in CHROME:
            self.assertNotIn(chrome, text)
        self.assertNotIn("military balance", text)
        self.assertEqual(html.count('role="doc-noteref"'), 3)

    def test_the_article_is_stored_as_parsed(self) -> None:
        run_import(REFERENCE, "--publish")
        article = ArticlePage.objects.get()

        self.assertEqual(str(article.publication_date), "2025-11-28")
        self.assertEqual(
            [block.value["text"] for block in article.body if block.block_type == "heading"],
            [
                "Эволюция казахстанско-турецкой военной кооперации",
                "Основные направления военного сотрудничества",
                "Казахстан в орбите геополитического влияния Турции?",
            ],
        )
        self.assertEqual([note.key for note in article.footnotes.all()], ["1", "2", "3"])
        [image_block] = [block for block in article.body if block.block_type == "image"]
        self.assertEqual(image_block.value["credit"], "пресс-служба президента РК")
        self.assertEqual(image_block.value["image"].credit, "пресс-служба президента РК")
        self.assertTrue(article.lead.startswith("С первых лет"))
        self.assertEqual(len(article.source_fingerprint), 64)

    def test_importing_twice_keeps_one_article(self) -> None:
        run_import(REFERENCE, "--publish")
        before = counts()
        revisions = ArticlePage.objects.get().revisions.count()

        lines, _ = run_import(REFERENCE, "--publish")

        self.assertTrue(lines[0].startswith("unchanged: "), lines)
        self.assertEqual(lines[-1], REFERENCE_PATH)
        self.assertEqual(counts(), before)
        self.assertEqual(ArticlePage.objects.get().revisions.count(), revisions)

    def test_a_changed_file_updates_the_same_article(self) -> None:
        run_import(REFERENCE, "--publish")
        article = ArticlePage.objects.get()
        changed = Path(self.enterContext(_temporary_dir())) / "changed.txt"
        changed.write_text(
            REFERENCE.read_text(encoding="utf-8").replace("28 ноября 2025", "29 ноября 2025"),
            encoding="utf-8",
        )

        lines, _ = run_import(changed)
        self.assertTrue(lines[0].startswith("updated: "), lines)
        self.assertIn("published, with a newer draft", lines[0])
        article.refresh_from_db()
        self.assertEqual(str(article.publication_date), "2025-11-28")  # live until published

        # The same file again, now to publish it: no new revision, the waiting one goes live.
        lines, _ = run_import(changed, "--publish")
        self.assertEqual(lines[0], "unchanged: «" + article.title + "» (published)")
        self.assertEqual(ArticlePage.objects.get().pk, article.pk)
        article.refresh_from_db()
        self.assertEqual(str(article.publication_date), "2025-11-29")
        self.assertEqual(article.revisions.count(), 2)
        self.assertEqual(counts(), (1, 1, 1, 1))

        # A line after the article (the portal's navigation) is not part of it.
        changed.write_text(
            changed.read_text(encoding="utf-8") + "\nПостскриптум.\n", encoding="utf-8"
        )
        lines, _ = run_import(changed, "--publish")
        self.assertEqual(lines[0], "unchanged: «" + article.title + "» (published)")

        changed.write_text(
            changed.read_text(encoding="utf-8").replace(
                "С первых лет обретения независимости", "С первых же лет независимости"
            ),
            encoding="utf-8",
        )
        lines, _ = run_import(changed, "--publish")
        self.assertEqual(lines[0], "updated: «" + article.title + "» (published)")
        self.assertEqual(ArticlePage.objects.get().revisions.count(), 3)

    def test_a_windows_1251_file_imports_correctly(self) -> None:
        cp1251 = Path(self.enterContext(_temporary_dir())) / "reference-cp1251.txt"
        # The page names a Kazakh drone and a Turkish firm with two letters the code page lacks.
        text = REFERENCE.read_text(encoding="utf-8").replace("ғ", "г").replace("Ş", "S")
        cp1251.write_bytes(text.encode("cp1251"))

        lines, _ = run_import(cp1251, "--publish")

        self.assertTrue(lines[0].startswith("created: «На перекрестке Евразии"), lines)
        self.assertEqual(lines[-1], REFERENCE_PATH)
        article = ArticlePage.objects.get()
        self.assertEqual(Expert.objects.get().full_name, "Асан Жакупов")
        self.assertEqual(article.footnotes.count(), 3)
        self.assertTrue(article.lead.startswith("С первых лет обретения независимости"))
        self.assertIn("«Шагала-М»", article.body.render_as_block())

    def test_the_same_text_in_either_encoding_is_the_same_source(self) -> None:
        utf8 = FILES / "tokaeva_water.txt"
        cp1251 = Path(self.enterContext(_temporary_dir())) / "tokaeva-cp1251.txt"
        cp1251.write_bytes(utf8.read_text(encoding="utf-8").replace("\n", "\r\n").encode("cp1251"))

        run_import(utf8)
        lines, _ = run_import(cp1251)

        self.assertTrue(lines[0].startswith("unchanged: "), lines)
        self.assertEqual(ArticlePage.objects.count(), 1)

    def test_the_admin_upload_of_the_same_page_is_unchanged(self) -> None:
        run_import(REFERENCE, "--publish")
        revisions = ArticlePage.objects.get().revisions.count()

        # Saved again by a browser on Windows: another encoding and line endings.
        data = REFERENCE.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8-sig")
        result = import_upload(data=data, filename="page.txt")

        self.assertEqual((result.created, result.changed), (False, False))
        self.assertEqual(ArticlePage.objects.get().revisions.count(), revisions)

    def test_our_own_pages(self) -> None:
        for name, path, images, notes, references in (
            ("tokaeva_water.txt", TOKAEVA_PATH, 0, 1, 1),
            ("sokolov_drones.txt", SOKOLOV_PATH, 2, 7, 8),
            ("beletskaya_corridors.txt", BELETSKAYA_PATH, 1, 0, 0),
        ):
            with self.subTest(name):
                lines, _ = run_import(FILES / name, "--publish")
                self.assertEqual(lines[-1], path)
                article = ArticlePage.objects.get(slug=path.rstrip("/").rsplit("/", 1)[1])
                self.assertEqual(sum(b.block_type == "image" for b in article.body), images)
                self.assertEqual(article.footnotes.count(), notes)
                html = self.client.get(path).content.decode()
                self.assertEqual(html.count('role="doc-noteref"'), references)
                for chrome in CHROME:
                    self.assertNotIn(chrome, article_text(html))
        self.assertEqual(
            sorted(Expert.objects.values_list("full_name", "name_genitive")),
            [
                ("Дина Токаева", "Дины Токаевой"),
                ("Игорь Петрович Соколов", "Игоря Петровича Соколова"),
                ("Ольга Белецкая", "Ольги Белецкой"),
            ],
        )
        sokolov = ArticlePage.objects.get(slug__startswith="bespilotniki")
        html = self.client.get(sokolov.url).content.decode()
        self.assertIn('id="fnref-2-2"', html)  # note 2 is cited twice, linked back from both
        self.assertIn("министерство обороны", html)

    def test_markup_in_the_text_is_shown_as_text(self) -> None:
        lines, _ = run_import(FILES / "tokaeva_water.txt", "--publish")
        html = self.client.get(lines[-1]).content.decode()
        self.assertIn("&lt;b&gt;", html)
        self.assertNotIn('<a href="#">здесь</a>', html)

    def test_the_poll_goes_to_the_polls_service_in_the_same_transaction(self) -> None:
        with mock.patch("vestnik.importers.services.poll_create_from_draft") as poll_create:
            run_import(REFERENCE)
        [call] = poll_create.call_args_list
        poll = call.kwargs["draft"]
        self.assertIsInstance(poll, PollDraft)
        self.assertEqual((len(poll.options), poll.max_choices), (9, 3))
        self.assertEqual(call.kwargs["article"], ArticlePage.objects.get())

        with mock.patch("vestnik.importers.services.poll_create_from_draft") as poll_create:
            run_import(REFERENCE)
        poll_create.assert_not_called()  # unchanged: the poll it has stays

    def test_the_past_poll_is_imported_with_its_results(self) -> None:
        from vestnik.polls.models import Poll

        run_import(REFERENCE, "--publish")

        poll = Poll.objects.get()
        self.assertTrue(poll.imported)
        self.assertEqual(poll.max_choices, 3)
        self.assertEqual(poll.source_page_id, ArticlePage.objects.get().pk)
        options = list(poll.options.order_by("sort_order"))
        self.assertEqual(len(options), 9)
        self.assertEqual(
            (options[0].text, options[0].imported_votes), ("Увеличение количества мусора", 228)
        )

    def test_a_failing_poll_leaves_nothing_behind(self) -> None:
        before = counts()
        with (
            mock.patch(
                "vestnik.importers.services.poll_create_from_draft",
                side_effect=RuntimeError("boom"),
            ),
            self.assertRaises(RuntimeError),
        ):
            run_import(REFERENCE)
        self.assertEqual(counts(), before)


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def assert_refused(self, data: bytes, message: str) -> None:
        path = Path(self.enterContext(_temporary_dir())) / "input.txt"
        path.write_bytes(data)
        before = counts()
        with self.assertRaises(CommandError) as raised:
            run_import(path)
        self.assertIn(message, str(raised.exception))
        self.assertTrue(str(raised.exception).startswith(f"{path}: "))
        self.assertEqual(counts(), before)

    def test_empty_file(self) -> None:
        self.assert_refused(b"", "The file is empty.")

    def test_binary_file(self) -> None:
        self.assert_refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary")

    def test_text_not_in_the_format(self) -> None:
        self.assert_refused(
            "Список покупок: хлеб, молоко.\nПозвонить маме.\n".encode(),
            "the first line should be «Блог <author's name>»",
        )

    def test_undecodable_bytes(self) -> None:
        self.assert_refused(b"\x98\x98 \xff\xfe \x98 broken", "neither UTF-8 nor Windows-1251")

    def test_missing_file(self) -> None:
        with self.assertRaisesMessage(CommandError, "No such file"):
            run_import(FILES / "no-such-file.txt")

    def test_bytes_entry_point_refuses_the_same_way(self) -> None:
        with self.assertRaisesMessage(ImportFailed, "binary"):
            import_page_bytes(data=b"\x00\x01\x02")
        self.assertEqual(counts(), (0, 0, 0, 0))


class CommandLineTests(TestCase):
    def test_bad_input_exits_with_1_and_one_line_on_stderr(self) -> None:
        path = Path(self.enterContext(_temporary_dir())) / "empty.txt"
        path.write_bytes(b"")
        settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "vestnik.settings.test")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
        completed = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_page", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        self.assertEqual(completed.returncode, 1)
        self.assertEqual(completed.stdout, "")
        self.assertEqual(completed.stderr.strip(), f"CommandError: {path}: The file is empty.")


def _temporary_dir():  # type: ignore[no-untyped-def]
    import tempfile

    return tempfile.TemporaryDirectory()


class ImportBeforeSetUpTests(TestCase):
    """A database that was migrated but never set up has nowhere to put a blog."""

    def test_import_says_to_run_setup_site_and_writes_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "run `python manage.py setup_site` first"):
            run_import(REFERENCE)
        self.assertEqual(counts(), (0, 0, 0, 0))
