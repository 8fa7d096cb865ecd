"""The second round of span repairs: what is not an organisation, and names the tagger cut.

Each rule is checked on sentences of its own, not on the gold texts, with a
counter-example where a rule could overreach. These run natasha, no database.
"""

from __future__ import annotations

from django.test import SimpleTestCase

from vestnik.insights.extractors.dates import date_mentions
from vestnik.insights.tests.utils import entities_of, paragraph


class NotOrganisationsTests(SimpleTestCase):
    def test_a_list_under_a_system_noun_names_systems(self) -> None:
        found = paragraph(
            "Платёжные системы стран ЕАЭС — российская «Мир», армянская ArCa, "
            "казахстанская Altyn — пока не связаны."
        )

        organisations = entities_of(found, "organisation")
        self.assertEqual(set(organisations), {"Евразийский экономический союз (ЕАЭС)"})

    def test_a_list_under_a_company_noun_names_companies(self) -> None:
        found = paragraph(
            "Оборонные компании региона — турецкая Baykar, американская Lockheed Martin — "
            "конкурируют за заказы."
        )

        self.assertEqual(set(entities_of(found, "organisation")), {"Baykar", "Lockheed Martin"})

    def test_power_plants_are_places(self) -> None:
        found = paragraph("Турция строит АЭС «Аккую», а Таджикистан достраивает Рогунскую ГЭС.")

        self.assertEqual(entities_of(found, "organisation"), {})
        self.assertLessEqual({"АЭС «Аккую»", "Рогунская ГЭС"}, set(entities_of(found, "location")))

    def test_a_common_noun_opening_a_sentence_is_no_name(self) -> None:
        found = paragraph(
            "Правительство одобрило план. Посредничество Лиги арабских государств результатов "
            "не дало."
        )

        self.assertEqual(set(entities_of(found, "organisation")), {"Лига арабских государств"})


class CutNamesTests(SimpleTestCase):
    def test_an_institution_noun_takes_the_place_after_it(self) -> None:
        found = paragraph("Доходы Управления Панамского канала выросли, сообщил министр.")

        self.assertEqual(set(entities_of(found, "organisation")), {"Управление Панамского канала"})

    def test_a_declined_name_in_quotes_goes_into_the_nominative(self) -> None:
        found = paragraph(
            "Страны договорились действовать по плану «Группы семи», а компания «Казахстан "
            "Инжиринг» получила заказ, как и госкорпорация «Росатом»."
        )

        self.assertEqual(
            set(entities_of(found, "organisation")),
            {"Группа семи (G7)", "Казахстан Инжиринг", "Росатом"},
        )

    def test_an_abbreviation_the_dictionary_does_not_know(self) -> None:
        found = paragraph("Эксперты бюро ЮНОДК подготовили доклад.")

        self.assertEqual(entities_of(found, "organisation"), {"ЮНОДК": 1})


class PeopleTests(SimpleTestCase):
    def test_a_name_after_a_place_noun_is_a_place(self) -> None:
        found = paragraph("Суда береговой охраны столкнулись у рифа Джонсон Южный.")

        self.assertEqual(entities_of(found, "person"), {})
        self.assertIn("Джонсон Южный", entities_of(found, "location"))

    def test_an_unknown_name_read_as_a_nominative_stays_as_written(self) -> None:
        found = paragraph(
            "Министр финансов Замбии Чиленга Мвале назвал сделку образцом для соседей."
        )

        self.assertEqual(entities_of(found, "person"), {"Чиленга Мвале": 1})

    def test_a_lone_given_name_that_is_also_a_place_is_not_a_person(self) -> None:
        found = paragraph("Нефть Тенгиза и Кашагана идёт на экспорт через Новороссийск.")

        self.assertEqual(entities_of(found, "person"), {})


class DateFormsTests(SimpleTestCase):
    def test_an_adjective_between_the_year_and_the_year_word(self) -> None:
        isos = [m.iso() for m in date_mentions("в 2024–2025 сельскохозяйственном году")]
        self.assertEqual(isos, ["2024/2025"])
        self.assertEqual([m.iso() for m in date_mentions("в 2023 финансовом году")], ["2023"])

    def test_an_elided_year_word(self) -> None:
        text = "в 2017 году согласовали рамку, в 2018-м — проект, к 2030-му — подпись"

        self.assertEqual([m.iso() for m in date_mentions(text)], ["2017", "2018", "2030"])
        self.assertEqual(date_mentions("в 2010-е годы и в 1990-х"), [])
