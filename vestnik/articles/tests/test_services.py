"""`article_create_from_draft`: every importer's drafts become pages the same way."""

from __future__ import annotations

import dataclasses
import datetime
import io

from PIL import Image as PILImage

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from vestnik.articles.drafts import (
    ArticleDraft,
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
    draft_fingerprint,
)
from vestnik.articles.footnotes import KEY_MAX_CHARS
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.articles.services import article_create_from_draft, placeholder_image_bytes
from vestnik.authors.models import Expert
from vestnik.core.models import VestnikImage
from vestnik.site.services import site_setup


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (20, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_draft(**changes: object) -> ArticleDraft:
    draft = ArticleDraft(
        title="Каспийский транзит: новые маршруты",
        author_name="Дина Токаева",
        publication_date=datetime.date(2025, 3, 3),
        lead="Короткий лид.",
        blocks=[
            ParagraphDraft(html="<p>Первый абзац со ссылкой[^1].</p>"),
            ImageDraft(filename="port.jpg", caption="Порт Актау", credit="пресс-служба порта"),
            HeadingDraft(text="Инфраструктура", level="h2"),
            QuoteDraft(html="<p>Цитата.</p>", attribution="эксперт"),
            TableDraft(rows=[["Год", "Объём"], ["2024", "4,5"]], caption="Грузооборот"),
            ParagraphDraft(html="<p>Снова [^1] и ещё [^note-2].</p>"),
        ],
        footnotes=[
            FootnoteDraft(key="1", html="Первая сноска."),
            FootnoteDraft(key="note-2", html="Вторая сноска."),
        ],
        source_fingerprint="a" * 64,
        warnings=["from the parser"],
    )
    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


class ArticleCreateFromDraftTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = site_setup()

    def test_creates_expert_blog_and_draft_article(self) -> None:
        result = article_create_from_draft(draft=make_draft())

        self.assertTrue(result.created)
        self.assertFalse(result.changed)
        expert = Expert.objects.get()
        self.assertEqual(
            (expert.full_name, expert.name_genitive, expert.slug),
            ("Дина Токаева", "Дины Токаевой", "dina-tokaeva"),
        )
        blog = BlogPage.objects.get()
        self.assertEqual(
            (blog.title, blog.slug, blog.expert), ("Блог Дины Токаевой", "dina-tokaeva", expert)
        )
        self.assertEqual(blog.get_parent().pk, self.tree.blogs.pk)
        article = result.article
        self.assertEqual(article.get_parent().pk, blog.pk)
        self.assertEqual(article.slug, "kaspiyskiy-tranzit-novye-marshruty")
        self.assertFalse(article.live)
        self.assertFalse(blog.live)
        self.assertEqual(article.revisions.count(), 1)

    def test_maps_every_block_type_and_the_page_fields(self) -> None:
        article = article_create_from_draft(draft=make_draft(), publish=True).article

        self.assertTrue(article.live)
        self.assertEqual(article.title, "Каспийский транзит: новые маршруты")
        self.assertEqual(article.lead, "Короткий лид.")
        self.assertEqual(article.publication_date, datetime.date(2025, 3, 3))
        self.assertEqual(article.source_fingerprint, "a" * 64)
        self.assertEqual(
            [block.block_type for block in article.body],
            ["paragraph", "image", "heading", "quote", "table", "paragraph"],
        )
        paragraph, image, heading, quote, table, _ = article.body
        self.assertEqual(paragraph.value.source, "<p>Первый абзац со ссылкой[^1].</p>")
        self.assertEqual(heading.value["text"], "Инфраструктура")
        self.assertEqual(heading.value["level"], "h2")
        self.assertEqual(image.value["caption"], "Порт Актау")
        self.assertEqual(image.value["credit"], "пресс-служба порта")
        self.assertEqual(image.value["image"].credit, "пресс-служба порта")
        self.assertEqual(image.value["image"].title, "port.jpg")
        self.assertEqual(quote.value["attribution"], "эксперт")
        self.assertEqual(table.value["data"], [["Год", "Объём"], ["2024", "4,5"]])
        self.assertTrue(table.value["first_row_is_table_header"])
        self.assertEqual(table.value["table_caption"], "Грузооборот")
        self.assertEqual(
            [(note.key, note.text) for note in article.footnotes.all()],
            [("1", "Первая сноска."), ("note-2", "Вторая сноска.")],
        )
        self.assertTrue(BlogPage.objects.get().live)

    def test_a_missing_image_becomes_a_grey_placeholder_with_a_warning(self) -> None:
        result = article_create_from_draft(draft=make_draft())

        self.assertEqual(result.warnings[0], "from the parser")
        self.assertTrue(any("port.jpg" in w and "placeholder" in w for w in result.warnings))
        image = VestnikImage.objects.get()
        self.assertEqual((image.width, image.height), (1200, 675))
        with image.open_file() as handle:
            self.assertEqual(handle.read(), placeholder_image_bytes())
        with PILImage.open(io.BytesIO(placeholder_image_bytes())) as picture:
            self.assertEqual(picture.getpixel((600, 300)), (204, 204, 204))

    def test_image_bytes_from_the_source_are_stored(self) -> None:
        data = jpeg_bytes()
        draft = make_draft(
            blocks=[ParagraphDraft(html="<p>Текст.</p>"), ImageDraft(filename="a.jpg", data=data)]
        )
        result = article_create_from_draft(draft=draft)

        self.assertFalse(any("placeholder" in w for w in result.warnings))
        image = VestnikImage.objects.get()
        self.assertEqual((image.width, image.height), (64, 48))
        self.assertTrue(image.file_hash)

    def test_unreadable_image_bytes_never_fail_the_import(self) -> None:
        draft = make_draft(blocks=[ImageDraft(filename="broken.jpg", data=b"not an image")])
        result = article_create_from_draft(draft=draft)

        self.assertTrue(any("could not be read" in w for w in result.warnings))
        self.assertEqual(VestnikImage.objects.get().width, 1200)

    def test_existing_expert_and_blog_are_reused(self) -> None:
        expert = Expert.objects.create(full_name="Дина Токаева", name_genitive="", slug="tokaeva")
        article_create_from_draft(draft=make_draft(author_name_genitive="Дины Токаевой"))
        article_create_from_draft(
            draft=make_draft(title="Другая статья", source_fingerprint="b" * 64)
        )

        expert.refresh_from_db()
        self.assertEqual(Expert.objects.count(), 1)
        # A blank is filled in, never overwritten.
        self.assertEqual(expert.name_genitive, "Дины Токаевой")
        self.assertEqual(BlogPage.objects.get().slug, "tokaeva")
        self.assertEqual(ArticlePage.objects.count(), 2)

    def test_experts_whose_names_transliterate_alike_get_distinct_slugs(self) -> None:
        Expert.objects.create(full_name="Dina Tokaeva", slug="dina-tokaeva")
        article_create_from_draft(draft=make_draft())

        self.assertEqual(Expert.objects.get(full_name="Дина Токаева").slug, "dina-tokaeva-2")
        self.assertEqual(BlogPage.objects.get().slug, "dina-tokaeva-2")

    def test_identical_source_changes_nothing(self) -> None:
        first = article_create_from_draft(draft=make_draft())
        again = article_create_from_draft(draft=make_draft())

        self.assertEqual((again.created, again.changed), (False, False))
        self.assertEqual(again.article.pk, first.article.pk)
        self.assertEqual(again.article.revisions.count(), 1)
        self.assertEqual(VestnikImage.objects.count(), 1)

    def test_identical_source_with_publish_publishes_the_imported_draft(self) -> None:
        article_create_from_draft(draft=make_draft())
        again = article_create_from_draft(draft=make_draft(), publish=True)

        self.assertEqual((again.created, again.changed), (False, False))
        self.assertTrue(again.article.live)
        self.assertEqual(again.article.revisions.count(), 1)
        self.assertTrue(BlogPage.objects.get().live)

    def test_changed_source_adds_a_revision_to_the_same_page(self) -> None:
        first = article_create_from_draft(draft=make_draft(), publish=True)
        changed = make_draft(lead="Новый лид.", source_fingerprint="c" * 64)
        second = article_create_from_draft(draft=changed)

        self.assertEqual((second.created, second.changed), (False, True))
        article = second.article
        self.assertEqual(article.pk, first.article.pk)
        self.assertEqual(ArticlePage.objects.count(), 1)
        self.assertEqual(article.revisions.count(), 2)
        # Not published: the live page keeps the old text, the new one waits as a draft.
        self.assertEqual(article.lead, "Короткий лид.")
        self.assertTrue(article.has_unpublished_changes)
        self.assertEqual(article.get_latest_revision_as_object().lead, "Новый лид.")
        self.assertEqual(VestnikImage.objects.count(), 1)

        third = article_create_from_draft(
            draft=make_draft(lead="Третий лид.", source_fingerprint="d" * 64), publish=True
        )
        self.assertEqual(third.article.lead, "Третий лид.")
        self.assertFalse(third.article.has_unpublished_changes)
        self.assertEqual(third.article.footnotes.count(), 2)

    def test_editors_tags_survive_a_reimport(self) -> None:
        from vestnik.vocabulary.models import Topic

        article = article_create_from_draft(draft=make_draft(), publish=True).article
        topic = Topic.objects.create(name_ru="Транспорт", name_en="Transport", slug="transport")
        article.topics.add(topic)
        article.save_revision().publish()

        updated = article_create_from_draft(
            draft=make_draft(source_fingerprint="e" * 64), publish=True
        )
        self.assertEqual(list(updated.article.topics.all()), [topic])

    def test_a_missing_date_means_today(self) -> None:
        article = article_create_from_draft(draft=make_draft(publication_date=None)).article
        self.assertEqual(
            article.get_latest_revision_as_object().publication_date, timezone.localdate()
        )

    def test_without_a_fingerprint_of_its_own_a_draft_is_compared_by_what_it_says(self) -> None:
        draft = make_draft(source_fingerprint="", warnings=["first parse"])
        first = article_create_from_draft(draft=draft)
        self.assertEqual(first.article.source_fingerprint, draft_fingerprint(draft))

        # Warnings are not content: the same text parsed again is unchanged.
        again = article_create_from_draft(draft=make_draft(source_fingerprint="", warnings=[]))
        changed = article_create_from_draft(draft=make_draft(source_fingerprint="", lead="Новый."))

        self.assertEqual((again.created, again.changed), (False, False))
        self.assertEqual((changed.created, changed.changed), (False, True))
        self.assertEqual(changed.article.revisions.count(), 2)

    def test_a_repeated_footnote_key_keeps_the_first_note_with_a_warning(self) -> None:
        notes = [FootnoteDraft("1", "a"), FootnoteDraft("1", "b")]
        result = article_create_from_draft(draft=make_draft(footnotes=notes), publish=True)

        self.assertEqual([(n.key, n.text) for n in result.article.footnotes.all()], [("1", "a")])
        self.assertEqual(sum("second note was skipped" in w for w in result.warnings), 1)

    def test_a_key_the_renderer_would_not_read_is_renamed_with_its_references(self) -> None:
        long_key = "k" * (KEY_MAX_CHARS + 1)
        draft = make_draft(
            blocks=[
                ParagraphDraft(html=f"<p>Один[^bad key!], два[^{long_key}], три[^1].</p>"),
                QuoteDraft(html="<p>Цитата[^bad key!].</p>"),
            ],
            footnotes=[
                FootnoteDraft("bad key!", "a"),
                FootnoteDraft(long_key, "b"),
                FootnoteDraft("1", "c"),
            ],
        )

        result = article_create_from_draft(draft=draft, publish=True)

        article = result.article
        self.assertEqual(
            [(n.key, n.text) for n in article.footnotes.all()],
            [("bad-key", "a"), ("k" * KEY_MAX_CHARS, "b"), ("1", "c")],
        )
        self.assertIn(
            "Footnote key «bad key!» cannot be cited (a key is 1–40 letters, digits, «-» or "
            "«_»): it is now «bad-key», and so are its references.",
            result.warnings,
        )
        index = article.footnote_index()
        rendered = [index.render(text) for text in article._texts_in_order()]
        self.assertEqual(index.unknown_keys, set())
        self.assertEqual([len(note.backlink_ids) for note in index.notes], [2, 1, 1])
        self.assertNotIn("[^", "".join(rendered))

    def test_over_long_fields_are_shortened_with_a_warning(self) -> None:
        draft = make_draft(blocks=[ParagraphDraft(html="<p>Т.</p>"), HeadingDraft(text="Р" * 300)])
        result = article_create_from_draft(draft=draft, publish=True)

        self.assertEqual(len(result.article.body[1].value["text"]), 255)
        self.assertTrue(any("heading was cut" in w for w in result.warnings))

    def test_a_draft_the_page_refuses_rolls_everything_back(self) -> None:
        draft = make_draft(title="")
        with self.assertRaises(ValidationError):
            article_create_from_draft(draft=draft)

        self.assertEqual(ArticlePage.objects.count(), 0)
        self.assertEqual(Expert.objects.count(), 0)
        self.assertEqual(BlogPage.objects.count(), 0)
