"""`--language` and `--translation-of`: an English file as a translation, or as its own article."""

from __future__ import annotations

import io
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from PIL import Image as PillowImage

from django.core.management import CommandError, call_command
from django.test import TestCase

from wagtail.models import Locale

from vestnik.articles.drafts import ArticleDraft, ImageDraft, ParagraphDraft
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.articles.services import (
    TranslationRefused,
    article_create_from_draft,
    article_translation_from_draft,
)
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup

FILES = Path(__file__).parent / "files"
SOURCE = FILES / "sokolov_drones.txt"
TRANSLATION = FILES / "sokolov_drones_en.txt"
SOURCE_PATH = (
    "/blogs/igor-petrovich-sokolov/bespilotniki-na-yuzhnom-kavkaze-uroki-poslednikh-konfliktov/"
)
TRANSLATION_PATH = (
    "/en/blogs/igor-petrovich-sokolov/drones-in-the-south-caucasus-lessons-of-recent-conflicts/"
)


def run(command: str, *args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def english() -> Locale:
    return Locale.objects.get(language_code="en")


class TranslationImportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        run("import_page", str(SOURCE), "--publish")
        cls.source = ArticlePage.objects.get()

    def import_translation(self, *args: str, path: Path = TRANSLATION) -> list[str]:
        lines, _ = run(
            "import_page", str(path), "--language", "en", "--translation-of", SOURCE_PATH, *args
        )
        return lines

    def test_the_translation_renders_under_en_with_its_own_text(self) -> None:
        lines = self.import_translation("--publish")

        self.assertTrue(lines[0].startswith("created: «Drones in the South Caucasus"), lines)
        self.assertIn("(published)", lines[0])
        self.assertEqual(lines[-1], TRANSLATION_PATH)
        response = self.client.get(TRANSLATION_PATH)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode().replace("\xa0", " ")
        for text in (
            "Drones in the South Caucasus",
            "Makers and markets",
            "What it means for the region",
            "Ministry of Defence",
            "A survey of the unmanned systems market, 2023.",
            'id="fn-7"',
        ):
            self.assertIn(text, html)
        for russian in ("Рынок и поставщики", "министерство обороны", "Обзор рынка"):
            self.assertNotIn(russian, html)
        self.assertNotIn("[[1]]", html)
        self.assertEqual(html.count('role="doc-noteref"'), 8)

    def test_the_translation_is_linked_to_its_source(self) -> None:
        self.import_translation("--publish")

        translation = ArticlePage.objects.get(locale=english())
        self.assertEqual(translation.translation_key, self.source.translation_key)
        self.assertEqual(self.source.get_translation(english()).pk, translation.pk)
        self.assertEqual(
            translation.get_parent().specific.expert, self.source.get_parent().specific.expert
        )
        # The Russian page's language switch and alternates lead to the translation.
        russian = self.client.get(SOURCE_PATH).content.decode()
        self.assertIn(f'href="{TRANSLATION_PATH}" hreflang="en"', russian)

    def test_notes_and_images_are_mapped_to_the_source(self) -> None:
        self.import_translation()

        translation = ArticlePage.objects.get(locale=english()).get_latest_revision_as_object()
        self.assertEqual(
            [note.key for note in translation.footnotes.all()],
            [note.key for note in self.source.footnotes.all()],
        )
        source_images = [b.value["image"].pk for b in self.source.body if b.block_type == "image"]
        images = [b.value for b in translation.body if b.block_type == "image"]
        self.assertEqual([value["image"].pk for value in images], source_images)
        self.assertEqual(
            [value["credit"] for value in images], ["Ministry of Defence", "open sources"]
        )
        self.assertEqual(images[0]["caption"], "A parade of military hardware")
        self.assertEqual(str(translation.publication_date), "2024-01-14")

    def test_the_source_poll_is_not_duplicated(self) -> None:
        from vestnik.polls.models import Poll

        polls = Poll.objects.count()
        _, err = run(
            "import_page", str(TRANSLATION), "--language", "en", "--translation-of", SOURCE_PATH
        )

        self.assertEqual(Poll.objects.count(), polls)
        self.assertIn("poll was not imported", err)

    def test_reimporting_the_same_file_changes_nothing(self) -> None:
        self.import_translation("--publish")
        translation = ArticlePage.objects.get(locale=english())
        revisions = translation.revisions.count()

        lines = self.import_translation("--publish")

        self.assertTrue(lines[0].startswith("unchanged:"), lines)
        self.assertEqual(lines[-1], TRANSLATION_PATH)
        self.assertEqual(translation.revisions.count(), revisions)
        self.assertEqual(ArticlePage.objects.count(), 2)

    def test_a_changed_file_is_a_new_revision_of_the_same_translation(self) -> None:
        self.import_translation("--publish")
        translation = ArticlePage.objects.get(locale=english())
        revisions = translation.revisions.count()
        changed = self.file_with(
            TRANSLATION.read_text(encoding="utf-8").replace(
                "Makers and markets", "Manufacturers and markets"
            )
        )

        lines = self.import_translation(path=changed)

        self.assertTrue(lines[0].startswith("updated:"), lines)
        self.assertIn("published, with a newer draft", lines[0])
        self.assertEqual(ArticlePage.objects.count(), 2)
        translation.refresh_from_db()
        self.assertEqual(translation.revisions.count(), revisions + 1)
        headings = [
            block.value["text"]
            for block in translation.get_latest_revision_as_object().body
            if block.block_type == "heading"
        ]
        self.assertIn("Manufacturers and markets", headings)

    def file_with(self, text: str) -> Path:
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        path = directory / "changed.txt"
        path.write_text(text, encoding="utf-8")
        return path

    def test_the_source_is_named_by_id_or_full_url(self) -> None:
        for reference in (str(self.source.pk), f"http://testserver{SOURCE_PATH}"):
            with self.subTest(reference=reference):
                lines, _ = run(
                    "import_page",
                    str(TRANSLATION),
                    "--language",
                    "en",
                    "--translation-of",
                    reference,
                )
                self.assertEqual(lines[-1], TRANSLATION_PATH)
        self.assertEqual(ArticlePage.objects.filter(locale=english()).count(), 1)

    def test_bad_sources_and_languages_are_refused_and_nothing_is_written(self) -> None:
        self.import_translation("--publish")
        before = (ArticlePage.objects.count(), BlogPage.objects.count(), Expert.objects.count())
        cases = [
            (("--language", "en", "--translation-of", "/blogs/nobody/nothing/"), "is not a page"),
            (("--language", "en", "--translation-of", "999999"), "is not a page"),
            (
                ("--language", "en", "--translation-of", "/blogs/igor-petrovich-sokolov/"),
                "is not an article",
            ),
            (("--language", "en", "--translation-of", TRANSLATION_PATH), "is itself in «en»"),
            (("--translation-of", SOURCE_PATH), "needs another language"),
            (("--language", "de"), "The site has no language «de»"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                with self.assertRaises(CommandError) as raised:
                    run("import_page", str(TRANSLATION), *args)
                self.assertIn(message, str(raised.exception))
        after = (ArticlePage.objects.count(), BlogPage.objects.count(), Expert.objects.count())
        self.assertEqual(after, before)

    def test_docx_and_html_commands_take_the_same_options(self) -> None:
        for command, name in (("import_docx", "x.docx"), ("import_html", "x.html")):
            with self.subTest(command=command):
                with self.assertRaisesMessage(CommandError, "The site has no language «fr»"):
                    run(command, str(FILES / name), "--language", "fr")
                with self.assertRaisesMessage(CommandError, "is not a page"):
                    run(command, str(FILES / name), "--language", "en", "--translation-of", "/x/")
                with self.assertRaisesMessage(CommandError, "takes one file"):
                    run(command, name, name, "--language", "en", "--translation-of", SOURCE_PATH)


class EnglishArticleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()

    def test_an_english_file_alone_is_an_english_article_of_a_known_expert(self) -> None:
        run("import_page", str(SOURCE))
        expert = Expert.objects.get()

        lines, _ = run("import_page", str(TRANSLATION), "--language", "en", "--publish")

        self.assertEqual(lines[-1], TRANSLATION_PATH)
        article = ArticlePage.objects.get(locale=english())
        # Its own article, not a translation of the Russian one.
        self.assertNotEqual(
            article.translation_key,
            ArticlePage.objects.get(locale__language_code="ru").translation_key,
        )
        self.assertEqual(article.get_parent().specific.expert, expert)
        self.assertEqual(Expert.objects.count(), 1)
        self.assertEqual(self.client.get(TRANSLATION_PATH).status_code, 200)

    def test_an_english_file_by_a_new_author_makes_the_expert(self) -> None:
        lines, _ = run("import_page", str(TRANSLATION), "--language", "en")

        expert = Expert.objects.get()
        self.assertEqual(
            (expert.full_name_en, expert.english_name), ("Igor Sokolov", "Igor Sokolov")
        )
        self.assertEqual(
            lines[-1],
            "/en/blogs/igor-sokolov/drones-in-the-south-caucasus-lessons-of-recent-conflicts/",
        )
        self.assertFalse(ArticlePage.objects.filter(locale__language_code="ru").exists())


def png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (20, 10), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class TranslationServiceTests(TestCase):
    """What the files above cannot show: images with bytes, and notes keyed by the editors."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.source = article_create_from_draft(
            draft=ArticleDraft(
                title="Каспийский транзит",
                author_name="Асан Жакупов",
                lead="Лид.",
                blocks=[
                    ParagraphDraft(html="<p>Первый [^1], второй [^2].</p>"),
                    ImageDraft(
                        filename="port.png", credit="пресс-служба порта", data=png((1, 2, 3))
                    ),
                ],
                footnotes=[],
            ),
            publish=True,
        ).article

    def translation_draft(self, *blocks: object, footnotes: list | None = None) -> ArticleDraft:  # type: ignore[type-arg]
        from vestnik.articles.drafts import FootnoteDraft

        return ArticleDraft(
            title="Caspian transit",
            author_name="Asan Zhakupov",
            lead="Lead.",
            blocks=list(blocks),  # type: ignore[arg-type]
            footnotes=footnotes
            if footnotes is not None
            else [FootnoteDraft(key="1", html="One."), FootnoteDraft(key="2", html="Two.")],
        )

    def test_the_same_image_file_reuses_the_source_image_and_credit(self) -> None:
        images = VestnikImage.objects.count()
        result = article_translation_from_draft(
            source=self.source,
            draft=self.translation_draft(
                ParagraphDraft(html="<p>First [^1], second [^2].</p>"),
                ImageDraft(filename="renamed-port.png", data=png((1, 2, 3))),
                ImageDraft(filename="other.png", data=png((200, 0, 0)), credit="Reuters"),
            ),
            language="en",
        )

        [source_image] = [b.value for b in self.source.body if b.block_type == "image"]
        same, other = [b.value for b in result.article.body if b.block_type == "image"]
        self.assertEqual(same["image"].pk, source_image["image"].pk)
        self.assertEqual(same["credit"], "пресс-служба порта")
        self.assertNotEqual(other["image"].pk, source_image["image"].pk)
        self.assertEqual(other["credit"], "Reuters")
        self.assertEqual(VestnikImage.objects.count(), images + 1)

    def test_notes_take_the_source_keys_by_position(self) -> None:
        from vestnik.articles.models import ArticleFootnote

        ArticleFootnote.objects.bulk_create(
            [
                ArticleFootnote(page=self.source, key="ports", text="Порты.", sort_order=0),
                ArticleFootnote(
                    page=self.source, key="rail", text="Железная дорога.", sort_order=1
                ),
            ]
        )
        result = article_translation_from_draft(
            source=self.source,
            draft=self.translation_draft(ParagraphDraft(html="<p>First [^2], then [^1].</p>")),
            language="en",
        )

        article = result.article
        self.assertEqual([note.key for note in article.footnotes.all()], ["ports", "rail"])
        self.assertEqual([note.text for note in article.footnotes.all()], ["One.", "Two."])
        self.assertIn("First [^rail], then [^ports].", str(article.body[0].value.source))

    def test_a_translation_of_a_translation_is_refused(self) -> None:
        translation = article_translation_from_draft(
            source=self.source, draft=self.translation_draft(), language="en"
        ).article
        with self.assertRaisesMessage(TranslationRefused, "is itself in «en»"):
            article_translation_from_draft(
                source=translation, draft=self.translation_draft(), language="en"
            )
