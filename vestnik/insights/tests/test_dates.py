"""Dates in Russian prose: the forms the reference page uses, and numbers that are not dates."""

from __future__ import annotations

from django.test import SimpleTestCase

from vestnik.insights.extractors.base import Sentence, TextUnit
from vestnik.insights.extractors.dates import date_mentions, timeline


def dates(text: str) -> list[str]:
    return [mention.iso() for mention in date_mentions(text)]


class DateMentionTests(SimpleTestCase):
    def test_forms_of_the_reference_page(self) -> None:
        cases = {
            "в 2023 г. они достигли исторического максимума": ["2023"],
            "В марте 2025 г. министром обороны Казахстана": ["2025-03"],
            "В период с 2022 по 2024 гг. объем военного импорта": ["2022/2024"],
            "В 2021–2022 гг. с Кыргызстаном": ["2021/2022"],
            "Казахстан в мае 2022 г. выпустил совместное заявление": ["2022-05"],
            "дипломатические отношения в марте 1992 г..": ["1992-03"],
            "соглашениями 1993 г. и 1994 г., затрагивающими": ["1993", "1994"],
            "На сентябрь 2025 г. запланированы учения": ["2025-09"],
            "Зимой 2025 г. в турецкой провинции Карс": ["2025"],
            "До 2022 г. беспилотные системы": ["2022"],
            "в плане военного сотрудничества на 2019 г.": ["2019"],
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(dates(text), expected)

    def test_other_forms(self) -> None:
        cases = {
            "Зерновая сделка 2022–2023 годов": ["2022/2023"],
            "Конвенции Монтрё 1936 года": ["1936"],
            "в 2023-м году": ["2023"],
            "в 2014 и 2016 гг.": ["2014", "2016"],
            "в январе–марте 2024 г.": ["2024-01/2024-03"],
            "15–16 марта 2025 г. в Алматы": ["2025-03-15/2025-03-16"],
            "Блог открыт 28 ноября 2025 г.": ["2025-11-28"],
            "по состоянию на 28.11.2025": ["2025-11-28"],
            "в 2023 Казахстан": ["2023"],
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(dates(text), expected)

    def test_numbers_that_are_not_dates(self) -> None:
        for text in (
            "в 2,5 млрд. долл.",
            "снарядов 155-го калибра",
            "учения «Кыш-2025» , в которых",
            "до 2000 человек",
            "в 1990-х годах",
            "138 БКМ «Арлан»",
            "в 2023 выросли",
        ):
            with self.subTest(text):
                self.assertEqual(dates(text), [])

    def test_an_impossible_day_keeps_its_month(self) -> None:
        self.assertEqual(dates("31 февраля 2024 г."), ["2024-02"])


class TimelineTests(SimpleTestCase):
    def test_sorted_by_date_then_place_with_one_item_per_date_and_sentence(self) -> None:
        units = [
            TextUnit("heading", "Что изменилось после 2022 года"),
            TextUnit("paragraph", "В 2024 г. и снова в 2024 г. прошли учения. В марте 1992 г. …"),
        ]
        sentences = [
            Sentence(0, 0, 28, units[0].text),
            Sentence(1, 0, 43, "В 2024 г. и снова в 2024 г. прошли учения."),
            Sentence(1, 44, 60, "В марте 1992 г. …"),
        ]

        items = timeline(sentences, units)

        self.assertEqual([item.iso() for item in items], ["1992-03", "2024"])
        self.assertEqual(items[0].text, "В марте 1992 г. …")
