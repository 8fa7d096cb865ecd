"""Key figures: sums of money and percentages, their units, and what they measure."""

from __future__ import annotations

from django.test import SimpleTestCase

from vestnik.insights.extractors.figures import figures_in
from vestnik.insights.tests.utils import paragraph, reference_extraction


class FiguresInTextTests(SimpleTestCase):
    def test_money_and_percentages(self) -> None:
        cases = {
            "максимума в 2,5 млрд. долл. [1]": (2.5e9, "USD", "2,5 млрд долл."),
            "выделило 238 млн. долл.": (238e6, "USD", "238 млн долл."),
            "на сумму 500 тыс. долл.": (500e3, "USD", "500 тыс. долл."),
            "составляют 83% всех закупок": (83, "%", "83%"),
            "на долю Узбекистана – 0,6%.": (0.6, "%", "0,6%"),
            "выделит 120 млн сомов": (120e6, "KGS", "120 млн сомов"),
            "more than $1.2 billion": (1.2e9, "USD", "$1.2 billion"),
            "вырос на 5,1 процента": (5.1, "%", "5,1 процента"),
            "2 500 руб.": (2500, "RUB", "2 500 руб."),
        }
        for text, (value, unit, display) in cases.items():
            with self.subTest(text):
                [(_, _, found_value, found_unit, found_display)] = figures_in(text)
                self.assertAlmostEqual(found_value, value)
                self.assertEqual((found_unit, found_display), (unit, display))

    def test_counts_of_things_are_not_key_figures(self) -> None:
        for text in ("138 БКМ «Арлан»", "17 мероприятий", "около 2 тыс. человек", "в 2023 г."):
            with self.subTest(text):
                self.assertEqual(figures_in(text), [])


class FigureLabelTests(SimpleTestCase):
    def test_reference_page_figures_say_what_they_measure(self) -> None:
        texts = [figure.text for figure in reference_extraction().figures]

        self.assertIn("2,5 млрд долл. — военные расходы Казахстана, 2023", texts)
        self.assertIn("83% — поставки вооружений из России", texts)
        self.assertIn("4,9 млрд долл. — торговый оборот между странами, 2024", texts)
        self.assertIn("98,5 млн долл. — расходы Министерства обороны, 1999", texts)
        self.assertIn("1,3% — доля Казахстана и Кыргызстана в турецком военном экспорте", texts)
        self.assertIn("23% — экспорт Казахстана: Италия", texts)
        self.assertEqual(len(texts), 19)

    def test_genitive_measure_goes_into_the_nominative(self) -> None:
        [figure] = paragraph("Казахстан страдает от дефицита бюджета в 296 млн. долл.").figures

        self.assertEqual(figure.label, "дефицит бюджета")

    def test_the_republic_is_the_one_country_just_named(self) -> None:
        [figure] = paragraph(
            "Саудовская Аравия наращивает закупки. Военные расходы страны достигли 80 млрд долл."
        ).figures
        self.assertEqual(figure.label, "военные расходы Саудовской Аравии")

        [figure] = paragraph(
            "Россия и Китай нарастили торговлю. Товарооборот страны составил 200 млрд долл."
        ).figures
        self.assertEqual(figure.label, "товарооборот страны")
