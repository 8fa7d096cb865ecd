"""`extract_insights`: the shapes operators and scripts rely on."""

from __future__ import annotations

import json
import tempfile
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from vestnik.insights.models import Mention
from vestnik.insights.tests.utils import REFERENCE, ReferenceArticleTestCase
from vestnik.vocabulary.terms import vocabulary_ensure


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("extract_insights", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class FileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        vocabulary_ensure()

    def test_json_of_a_saved_page(self) -> None:
        out, _ = run("--file", str(REFERENCE), "--json")
        data = json.loads(out)

        self.assertEqual(set(data), {"entities", "timeline", "figures"})
        self.assertTrue(all(set(e) == {"name", "kind", "count"} for e in data["entities"]))
        self.assertTrue(all(set(t) == {"date", "text"} for t in data["timeline"]))
        self.assertTrue(all(set(f) == {"value", "unit", "text"} for f in data["figures"]))
        entities = {(e["name"], e["kind"]): e["count"] for e in data["entities"]}
        self.assertGreater(entities[("Турция", "country")], 1)
        self.assertNotIn(("Анкара", "location"), entities)  # counted with Turkey
        self.assertEqual(entities[("Р. Жаксылыков", "person")], 2)
        self.assertIn(
            ("Организация Договора о коллективной безопасности (ОДКБ)", "organisation"), entities
        )
        self.assertEqual(data["timeline"][0]["date"], "1992-03")
        self.assertIn({"date": "2021/2022", "text": data["timeline"][9]["text"]}, data["timeline"])
        self.assertIn(
            {
                "value": 2500000000.0,
                "unit": "USD",
                "text": "2,5 млрд долл. — военные расходы Казахстана, 2023",
            },
            data["figures"],
        )
        # Only the article body: no poll, no share links, no footnotes.
        self.assertNotIn("мусора", out)
        self.assertNotIn("Социальная сеть", out)
        self.assertNotIn("military balance", out)

    def test_a_file_that_is_not_a_saved_page(self) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as file:
            file.write("Просто текст\nбез блога")
            file.flush()
            with self.assertRaisesMessage(CommandError, "Блог"):
                run("--file", file.name)

    def test_one_source_at_a_time(self) -> None:
        for args in ((), ("1", "--all"), ("--file", str(REFERENCE), "--all")):
            with self.subTest(args), self.assertRaises(CommandError):
                run(*args)


class PageAndArchiveTests(ReferenceArticleTestCase):
    def test_a_page_id_extracts_stores_and_prints(self) -> None:
        Mention.objects.all().delete()

        out, _ = run(str(self.article.pk), "--json")

        # The article is about Kazakhstan first; the printed count is the stored one.
        stored = Mention.objects.get(page=self.article, entity__name="Казахстан").count
        self.assertEqual(
            json.loads(out)["entities"][0],
            {"name": "Казахстан", "kind": "country", "count": stored},
        )
        self.assertTrue(Mention.objects.filter(page=self.article, entity__name="Турция").exists())

    def test_plain_output(self) -> None:
        out, _ = run(str(self.article.pk))

        turkey = Mention.objects.get(page=self.article, entity__name="Турция").count
        self.assertGreater(turkey, 10)
        self.assertRegex(out, rf"country\s+{turkey}\s+Турция")
        self.assertIn("1992-03    Турция стала первой страной", out)

    def test_an_unknown_page(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "no article or other indexed page with id 999999"
        ):
            run("999999")

    def test_the_archive_with_a_progress_bar(self) -> None:
        Mention.objects.all().delete()

        out, err = run("--all")

        self.assertIn("[1/1]", err)
        self.assertIn("Extracted insights of 1 articles.", out)
        self.assertTrue(Mention.objects.filter(page=self.article).exists())
