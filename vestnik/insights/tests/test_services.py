"""Storing extraction, and editors' corrections that survive every re-run."""

from __future__ import annotations

from vestnik.articles.models import ArticlePage
from vestnik.core import page_cache
from vestnik.insights.models import Entity, KeyFigure, Mention, TimelineEvent
from vestnik.insights.services import (
    CorrectionError,
    alias_add,
    entity_merge,
    entity_rename,
    insights_extract_archive,
    insights_extract_for_page,
    mention_hide,
)
from vestnik.insights.tests.utils import ReferenceArticleTestCase


def count_of(page: ArticlePage, name: str) -> int | None:
    mention = Mention.objects.filter(page=page, entity__name=name).first()
    return mention.count if mention is not None else None


class ExtractionTests(ReferenceArticleTestCase):
    def test_mentions_timeline_and_figures_are_stored(self) -> None:
        # The article is about Kazakhstan and Turkey, Kazakhstan first.
        self.assertGreater(
            count_of(self.article, "Казахстан") or 0, count_of(self.article, "Турция") or 0
        )
        self.assertGreater(count_of(self.article, "Турция") or 0, 1)
        turkey = self.entity("Турция")
        self.assertEqual(
            (turkey.kind, turkey.slug, turkey.country.iso_code), ("country", "turtsiya", "TR")
        )
        csto = Entity.objects.get(short_name="ОДКБ")
        self.assertEqual(
            (csto.name, csto.slug), ("Организация Договора о коллективной безопасности", "odkb")
        )
        self.assertEqual(TimelineEvent.objects.filter(page=self.article).count(), 31)
        self.assertEqual(KeyFigure.objects.filter(page=self.article).count(), 19)
        first = TimelineEvent.objects.filter(page=self.article).first()
        assert first is not None
        self.assertEqual(first.iso(), "1992-03")
        self.assertIn(turkey, first.entities.all())

    def test_reextraction_changes_nothing(self) -> None:
        before = list(Mention.objects.order_by("pk").values_list("entity_id", "count"))
        entities = Entity.objects.count()

        insights_extract_for_page(page=self.article)

        self.assertEqual(
            list(Mention.objects.order_by("pk").values_list("entity_id", "count")), before
        )
        self.assertEqual(Entity.objects.count(), entities)
        self.assertEqual(TimelineEvent.objects.filter(page=self.article).count(), 31)

    def test_extraction_makes_cached_pages_stale_once_committed(self) -> None:
        generation = page_cache.current_generation()
        with self.captureOnCommitCallbacks(execute=True):
            insights_extract_for_page(page=self.article)
        self.assertGreater(page_cache.current_generation(), generation)

    def test_archive_run_reports_progress(self) -> None:
        calls: list[tuple[int, int]] = []

        run = insights_extract_archive(progress=lambda done, total: calls.append((done, total)))

        self.assertEqual((run.pages, run.failed), (1, []))
        self.assertEqual(calls, [(1, 1)])


class CorrectionTests(ReferenceArticleTestCase):
    def test_a_merge_survives_reextraction(self) -> None:
        ussr = Entity.objects.create(kind="location", name="СССР", slug="sssr")
        soviet_union = self.entity("Советский Союз")

        entity_merge(source=soviet_union, target=ussr)
        self.assertEqual(count_of(self.article, "СССР"), 1)
        self.assertIsNone(count_of(self.article, "Советский Союз"))

        insights_extract_for_page(page=self.article)

        self.assertEqual(count_of(self.article, "СССР"), 1)
        self.assertIsNone(count_of(self.article, "Советский Союз"))

    def test_merging_moves_counts_and_timeline_links(self) -> None:
        turkey, ankara_city = self.entity("Турция"), self.entity("Стамбул")
        events = set(TimelineEvent.objects.filter(entities=ankara_city))
        both = (count_of(self.article, "Турция") or 0) + (count_of(self.article, "Стамбул") or 0)

        entity_merge(source=ankara_city, target=turkey)

        self.assertEqual(count_of(self.article, "Турция"), both)
        self.assertLessEqual(events, set(TimelineEvent.objects.filter(entities=turkey)))
        with self.assertRaises(CorrectionError):
            entity_merge(source=turkey, target=ankara_city)  # Стамбул now *is* Турция

    def test_an_alias_survives_reextraction(self) -> None:
        turkey = self.entity("Турция")
        with_ankara = count_of(self.article, "Турция") or 0
        # An editor takes Ankara off Turkey's aliases: it becomes a place of its own …
        turkey.aliases = ""
        turkey.save()
        insights_extract_for_page(page=self.article)
        alone, ankara = count_of(self.article, "Турция") or 0, count_of(self.article, "Анкара") or 0
        self.assertGreater(alone, 0)
        self.assertGreater(ankara, 0)
        self.assertEqual(alone + ankara, with_ankara)

        # … and puts it back: the place is merged into Turkey at once and after every run.
        alias_add(entity=turkey, alias="Анкара")
        self.assertEqual(count_of(self.article, "Турция"), with_ankara)
        insights_extract_for_page(page=self.article)
        self.assertEqual(count_of(self.article, "Турция"), with_ankara)
        self.assertIsNone(count_of(self.article, "Анкара"))

    def test_a_hidden_mention_stays_hidden(self) -> None:
        mention = Mention.objects.get(page=self.article, entity__name="Каспийская флотилия")

        mention_hide(mention=mention)
        insights_extract_for_page(page=self.article)

        mention.refresh_from_db()
        self.assertTrue(mention.hidden)
        self.assertEqual(mention.count, 1)

    def test_hiding_everywhere_drops_the_entity_from_later_runs(self) -> None:
        mention = Mention.objects.get(page=self.article, entity__name="Зенит")

        mention_hide(mention=mention, everywhere=True)
        insights_extract_for_page(page=self.article)

        self.assertTrue(self.entity("Зенит").hidden)
        self.assertFalse(
            Mention.objects.filter(page=self.article, entity__name="Зенит", hidden=False).exists()
        )

    def test_a_renamed_entity_is_still_found(self) -> None:
        entity_rename(
            entity=self.entity("Министерство обороны"), name="Министерство обороны Казахстана"
        )

        insights_extract_for_page(page=self.article)

        self.assertEqual(count_of(self.article, "Министерство обороны Казахстана"), 4)
        self.assertFalse(Entity.objects.filter(name="Министерство обороны").exists())
