"""Entities: names in the nominative, merged, resolved against the vocabulary, counted.

These run natasha (loaded once per test process) but no database.
"""

from __future__ import annotations

from django.test import SimpleTestCase

from vestnik.insights.extractors.base import TextUnit
from vestnik.insights.extractors.entities import (
    NameMention,
    Vocabulary,
    VocabularyEntry,
    entities_merge,
    name_key,
)
from vestnik.insights.extractors.pipeline import extract
from vestnik.insights.tests.utils import (
    data_vocabulary,
    entities_of,
    paragraph,
    reference_extraction,
)


class NominativeTests(SimpleTestCase):
    def test_countries_in_any_case_are_one_country(self) -> None:
        found = paragraph(
            "Казахстан стремится извлечь пользу из связей с Турцией. "
            "Поставки из Турции растут, и Астана ценит Турцию как партнёра."
        )

        self.assertEqual(entities_of(found, "country"), {"Казахстан": 2, "Турция": 3})

    def test_an_organisation_in_the_instrumental(self) -> None:
        found = paragraph(
            "Расходы на оборону контролируются Министерством обороны. "
            "Министерство обороны РК нацелилось на формирование новых подразделений."
        )

        self.assertEqual(entities_of(found, "organisation"), {"Министерство обороны": 2})

    def test_a_man_in_the_instrumental_and_the_genitive(self) -> None:
        found = paragraph(
            "В марте 2025 г. министром обороны Казахстана Р. Жаксылыковым было объявлено "
            "о создании кластера. В 2024 г. состоялась встреча министра обороны РК "
            "Р. Жаксылыкова с генеральным директором компании Baykar Defence Х. Байрактаром."
        )

        self.assertEqual(entities_of(found, "person"), {"Р. Жаксылыков": 2, "Х. Байрактар": 1})
        self.assertIn("Baykar Defence", entities_of(found, "organisation"))

    def test_adjectives_agree_with_the_head_and_the_tail_stays(self) -> None:
        found = paragraph(
            "Кластер создан на базе Семипалатинского танкоремонтного завода. Завод “Зенит” "
            "подписал соглашение с турецким Управлением военных заводов и верфей (ASFAT)."
        )

        organisations = entities_of(found, "organisation")
        self.assertIn("Семипалатинский танкоремонтный завод", organisations)
        self.assertIn("Управление военных заводов и верфей (ASFAT)", organisations)


class MergingTests(SimpleTestCase):
    def test_an_abbreviation_and_its_full_name_are_one_organisation(self) -> None:
        found = paragraph(
            "Казахстан состоит в Организации Договора о коллективной безопасности (ОДКБ). "
            "Для Астаны сотрудничество, альтернативное ОДКБ, открывает новые возможности."
        )

        self.assertEqual(
            entities_of(found, "organisation"),
            {"Организация Договора о коллективной безопасности (ОДКБ)": 2},
        )

    def test_a_latin_abbreviation_too(self) -> None:
        found = paragraph(
            "Выбор пал на турецкую компанию Turkish Aerospace Industries (TUSAŞ). "
            "В мае 2022 г. был подписан меморандум между TUSAŞ и «Казахстан Инжиринг»."
        )

        organisations = entities_of(found, "organisation")
        self.assertEqual(organisations["Turkish Aerospace Industries (TUSAŞ)"], 2)
        self.assertIn("Казахстан Инжиринг", organisations)

    def test_capitals_stand_for_their_states_through_the_vocabulary(self) -> None:
        text = "Военное сотрудничество с Анкарой предпочтительно для Астаны."

        self.assertEqual(entities_of(paragraph(text), "country"), {"Турция": 1, "Казахстан": 1})
        without = paragraph(text, vocabulary=data_vocabulary(with_capitals=False))
        self.assertEqual(entities_of(without, "country"), {})
        self.assertEqual(entities_of(without, "location"), {"Анкара": 1, "Астана": 1})

    def test_only_the_vocabulary_makes_a_place_a_country(self) -> None:
        found = paragraph(
            "В июле 2023 г. в Стамбуле прошла встреча, а Центральная Азия и Советский Союз "
            "остаются темами дискуссии, как и Кыргызстан."
        )

        self.assertEqual(entities_of(found, "country"), {"Киргизия": 1})
        self.assertLessEqual({"Стамбул", "Центральная Азия"}, set(entities_of(found, "location")))

    def test_merging_rules_without_natasha(self) -> None:
        vocabulary = Vocabulary()
        vocabulary.add(VocabularyEntry("country:TR", "country", "Турция"), ["Турция", "Анкара"])
        vocabulary.add(VocabularyEntry("entity:7", "organisation", "СВО", hidden=True), ["СВО"])
        mentions = [
            NameMention("LOC", "Анкара", "", 0, "Анкарой"),
            NameMention("LOC", "Турция", "", 1, "Турции"),
            NameMention("ORG", "Организация Договора", "ОД", 2, "…"),
            NameMention("ORG", "ОД", "", 3, "ОД"),
            NameMention("PER", "Х. Байрактар", "", 4, "Х. Байрактаром"),
            NameMention("PER", "Байрактар", "", 5, "Байрактара"),
            NameMention("PER", "Тенгиз", "", 6, "Тенгиза", weak=True),
            NameMention("ORG", "СВО", "", 7, "СВО"),
        ]

        found = {(e.kind, e.display_name, e.count) for e in entities_merge(mentions, vocabulary)}

        self.assertEqual(
            found,
            {
                ("country", "Турция", 2),
                ("organisation", "Организация Договора (ОД)", 2),
                ("person", "Х. Байрактар", 2),
            },
        )

    def test_name_key_ignores_case_yo_quotes_and_dashes(self) -> None:
        self.assertEqual(name_key("«Мирзиёев»"), name_key("мирзиеев"))
        self.assertEqual(name_key("Баку — Тбилиси"), name_key("баку - тбилиси"))


class ReferencePageTests(SimpleTestCase):
    def test_mentions(self) -> None:
        extraction = reference_extraction()
        countries = entities_of(extraction, "country")

        # The capitals count with their countries; the article is about Kazakhstan first.
        self.assertNotIn("Анкара", entities_of(extraction, "location"))
        self.assertNotIn("Астана", entities_of(extraction, "location"))
        self.assertGreater(countries["Казахстан"], countries["Турция"])
        self.assertLessEqual({"Казахстан", "Турция", "Россия", "Китай", "США"}, set(countries))
        self.assertEqual(set(entities_of(extraction, "person")), {"Р. Жаксылыков", "Х. Байрактар"})
        self.assertIn(
            "Организация Договора о коллективной безопасности (ОДКБ)",
            entities_of(extraction, "organisation"),
        )

    def test_timeline_runs_from_march_1992_to_2025(self) -> None:
        timeline = [item.iso() for item in reference_extraction().timeline]

        self.assertEqual(timeline[0], "1992-03")
        self.assertEqual(timeline[-1], "2025-09")
        for year in ("1993", "1994", "1998", "2018", "2022", "2025"):
            self.assertIn(year, timeline)
        self.assertEqual(timeline, sorted(timeline, key=lambda iso: iso.split("/")[0]))

    def test_site_chrome_and_the_poll_never_become_anything(self) -> None:
        extraction = reference_extraction()
        names = " ".join(entity.display_name for entity in extraction.entities)
        everything = names + " ".join(item.text for item in extraction.timeline)

        for chrome in ("Социальная сеть", "Бизнесу", "Распечатать", "мусора", "Поделиться"):
            self.assertNotIn(chrome, everything)
        self.assertNotIn(66.67, [figure.value for figure in extraction.figures])
        self.assertNotIn("International Institute", names)  # a footnote, not the body


class EnglishTests(SimpleTestCase):
    def test_the_simpler_path(self) -> None:
        found = extract(
            [
                TextUnit(
                    "paragraph",
                    "Turkey recognised Kazakhstan in March 1992. Turkish Aerospace Industries "
                    "(TUSAŞ) signed a memorandum in May 2022, and TUSAŞ will share technology. "
                    "Military spending reached $2.5 billion in 2023; Russia supplies 83% of arms.",
                )
            ],
            vocabulary=data_vocabulary(),
            language="en",
        )

        self.assertEqual(entities_of(found, "country"), {"Турция": 1, "Казахстан": 1, "Россия": 1})
        self.assertEqual(
            entities_of(found, "organisation"), {"Turkish Aerospace Industries (TUSAŞ)": 2}
        )
        self.assertEqual([i.iso() for i in found.timeline], ["1992-03", "2022-05", "2023"])
        self.assertEqual([(f.value, f.unit) for f in found.figures], [(2.5e9, "USD"), (83, "%")])

    def test_a_possessive_names_the_country(self) -> None:
        found = extract(
            [TextUnit("paragraph", "Turkey recognised Kazakhstan's independence in 1992.")],
            vocabulary=data_vocabulary(),
            language="en",
        )
        self.assertEqual(entities_of(found, "country"), {"Турция": 1, "Казахстан": 1})
        forms = {form for entity in found.entities for form in entity.forms}
        self.assertIn("Kazakhstan", forms)
