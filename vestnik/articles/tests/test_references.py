"""Bibliographic footnotes → structured references, across the styles authors write in."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase

from vestnik.articles.citations.names import Person
from vestnik.articles.citations.references import (
    Reference,
    note_text,
    parse_date,
    parse_note,
    parse_notes,
    parse_reference,
    reference_list,
)


def fields(reference: Reference | None) -> dict[str, object]:
    """The parsed parts that are set, without the raw text."""
    assert reference is not None
    return {
        name: value
        for name, value in reference.__dict__.items()
        if name != "raw" and value not in ("", (), None)
    }


class ReferenceStyleTests(SimpleTestCase):
    def test_a_report_by_title_and_publisher(self) -> None:
        # The reference page's own notes.
        self.assertEqual(
            fields(
                parse_reference(
                    "The military balance 2024. International Institute of Strategic Studies. "
                    "P. 543."
                )
            ),
            {
                "kind": "book",
                "title": "The military balance 2024",
                "publisher": "International Institute of Strategic Studies",
                "year": 2024,
                "pages": "543",
            },
        )

    def test_gost_book(self) -> None:
        self.assertEqual(
            fields(parse_reference("Иванов И.И. Название. М.: Наука, 2020. С. 15.")),
            {
                "kind": "book",
                "title": "Название",
                "authors": (Person("Иванов", "И. И."),),
                "place": "М.",
                "publisher": "Наука",
                "year": 2020,
                "pages": "15",
            },
        )

    def test_gost_2018_book_with_areas_and_document_type(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Иванов, И. И. Российско-турецкие отношения : монография / И. И. Иванов. — "
                    "2-е изд. — Москва : Наука, 2019. — 300 с."
                )
            ),
            {
                "kind": "book",
                "title": "Российско-турецкие отношения",
                "authors": (Person("Иванов", "И. И."),),
                "place": "Москва",
                "publisher": "Наука",
                "year": 2019,
            },
        )

    def test_journal_article_after_double_slash(self) -> None:
        self.assertEqual(
            fields(parse_reference("Smith J. Title // Journal. 2021. No. 3. P. 10–20.")),
            {
                "kind": "article",
                "title": "Title",
                "authors": (Person("Smith", "J."),),
                "container": "Journal",
                "year": 2021,
                "issue": "3",
                "pages": "10–20",
            },
        )

    def test_russian_journal_with_volume_issue_and_two_authors(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Петров П. П., Сидоров С. С. Внешняя политика Казахстана // Мировая экономика "
                    "и международные отношения. 2022. Т. 66, № 4. С. 35-47."
                )
            ),
            {
                "kind": "article",
                "title": "Внешняя политика Казахстана",
                "authors": (Person("Петров", "П. П."), Person("Сидоров", "С. С.")),
                "container": "Мировая экономика и международные отношения",
                "year": 2022,
                "volume": "66",
                "issue": "4",
                "pages": "35–47",
            },
        )

    def test_english_article_with_a_question_mark_and_series(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Hill F., Taspinar O. Turkey and Russia: Axis of the excluded? // Survival. "
                    "2006. Vol. 48, No. 1. P. 81–92."
                )
            ),
            {
                "kind": "article",
                "title": "Turkey and Russia: Axis of the excluded?",
                "authors": (Person("Hill", "F."), Person("Taspinar", "O.")),
                "container": "Survival",
                "year": 2006,
                "volume": "48",
                "issue": "1",
                "pages": "81–92",
            },
        )
        journal = parse_reference(
            "Жаксылыков Р. Оборонная политика / Р. Жаксылыков, А. Сейткали // Вестник КазНУ. "
            "Серия международные отношения. 2023. № 2 (102). С. 5–14. — Текст : электронный."
        )
        assert journal is not None
        self.assertEqual(journal.container, "Вестник КазНУ. Серия международные отношения")
        self.assertEqual(journal.authors, (Person("Жаксылыков", "Р."), Person("Сейткали", "А.")))
        self.assertEqual((journal.issue, journal.pages, journal.year), ("2 (102)", "5–14", 2023))

    def test_newspaper_online_with_date_of_access(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Турция наращивает экспорт вооружений // Коммерсантъ. 2024. 12 марта. "
                    "URL: https://www.kommersant.ru/doc/6571234 (дата обращения: 15.03.2024)."
                )
            ),
            {
                "kind": "web",
                "title": "Турция наращивает экспорт вооружений",
                "container": "Коммерсантъ",
                "year": 2024,
                "url": "https://www.kommersant.ru/doc/6571234",
                "accessed": datetime.date(2024, 3, 15),
            },
        )

    def test_web_page_english_access_date_and_electronic_resource(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "SIPRI Arms Transfers Database [Электронный ресурс]. URL: "
                    "https://www.sipri.org/databases/armstransfers (accessed: 12 March 2025)."
                )
            ),
            {
                "kind": "web",
                "title": "SIPRI Arms Transfers Database",
                "url": "https://www.sipri.org/databases/armstransfers",
                "accessed": datetime.date(2025, 3, 12),
            },
        )
        bare = parse_reference("https://www.defensenews.com/global/europe/2024/05/10/drones/")
        assert bare is not None
        self.assertEqual((bare.kind, bare.title), ("web", ""))
        self.assertEqual(bare.url, "https://www.defensenews.com/global/europe/2024/05/10/drones/")

    def test_book_with_place_and_publisher_in_english(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Cornell S. E. Azerbaijan since independence. London: Routledge, 2011. P. 112."
                )
            ),
            {
                "kind": "book",
                "title": "Azerbaijan since independence",
                "authors": (Person("Cornell", "S. E."),),
                "place": "London",
                "publisher": "Routledge",
                "year": 2011,
                "pages": "112",
            },
        )

    def test_chapter_in_an_edited_volume(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Кузнецов А. В. Турецкий фактор в Центральной Азии // Центральная Азия: вызовы "
                    "и перспективы / под ред. В. В. Наумкина. М.: ИВ РАН, 2020. С. 101–120."
                )
            ),
            {
                "kind": "chapter",
                "title": "Турецкий фактор в Центральной Азии",
                "authors": (Person("Кузнецов", "А. В."),),
                "container": "Центральная Азия: вызовы и перспективы",
                "place": "М.",
                "publisher": "ИВ РАН",
                "year": 2020,
                "pages": "101–120",
            },
        )

    def test_apa_book_and_journal_article_with_doi(self) -> None:
        self.assertEqual(
            fields(
                parse_reference(
                    "Smith, J., & Doe, A. B. (2020). Middle powers in Eurasia. "
                    "Oxford University Press."
                )
            ),
            {
                "kind": "book",
                "title": "Middle powers in Eurasia",
                "authors": (Person("Smith", "J."), Person("Doe", "A. B.")),
                "publisher": "Oxford University Press",
                "year": 2020,
            },
        )
        self.assertEqual(
            fields(
                parse_reference(
                    "Cooper, A. F. (2021). Middle powers revisited. Journal of Peace Research, "
                    "58(3), 10–20. https://doi.org/10.1177/0022343320000000"
                )
            ),
            {
                "kind": "article",
                "title": "Middle powers revisited",
                "authors": (Person("Cooper", "A. F."),),
                "container": "Journal of Peace Research",
                "year": 2021,
                "volume": "58",
                "issue": "3",
                "pages": "10–20",
                "url": "https://doi.org/10.1177/0022343320000000",
            },
        )

    def test_initials_before_the_family_name_and_et_al(self) -> None:
        reference = parse_reference("J. Smith, A. Doe et al. Eurasian security. Oxford, 2019.")
        assert reference is not None
        self.assertEqual(reference.authors, (Person("Smith", "J."), Person("Doe", "A.")))
        self.assertEqual(
            (reference.title, reference.place, reference.year),
            ("Eurasian security", "Oxford", 2019),
        )
        doi = parse_reference(
            "Иванов И. И. Статья // Полис. 2020. № 1. DOI: 10.17976/jpps/2020.01.05"
        )
        assert doi is not None
        self.assertEqual(doi.url, "https://doi.org/10.17976/jpps/2020.01.05")

    def test_comments_are_not_references(self) -> None:
        for note in (
            "Имеется в виду решение правительства 2023 г. о создании фонда.",
            "Автор благодарит коллег за обсуждение.",
            "Подробнее об этом будет сказано ниже.",
            "",
            "Там же. С. 45.",
        ):
            with self.subTest(note=note):
                self.assertIsNone(parse_reference(note))


class NoteTests(SimpleTestCase):
    def test_ibid_and_op_cit_point_to_earlier_notes(self) -> None:
        notes = parse_notes(
            [
                "Иванов И.И. Название. М.: Наука, 2020. С. 15.",
                "Там же. С. 17.",
                "Smith J. Title // Journal. 2021. No. 3. P. 10–20.",
                "Иванов И.И. Указ. соч. С. 20.",
                "Ibid. P. 12.",
            ]
        )
        self.assertEqual([len(references) for references in notes], [1, 1, 1, 1, 1])
        self.assertEqual((notes[1][0].title, notes[1][0].pages), ("Название", "17"))
        self.assertEqual((notes[3][0].title, notes[3][0].pages), ("Название", "20"))
        self.assertEqual((notes[4][0].title, notes[4][0].pages), ("Название", "12"))
        self.assertEqual(parse_note("Там же. С. 5."), [])  # nothing earlier to point to

    def test_several_references_in_one_note(self) -> None:
        references = parse_note(
            "См.: Иванов И.И. Название. М., 2020. С. 15; Петров П.П. Другое. СПб.: Питер, 2018."
        )
        self.assertEqual([r.title for r in references], ["Название", "Другое"])
        self.assertEqual([r.place for r in references], ["М.", "СПб."])

    def test_reference_list_keeps_each_work_once(self) -> None:
        works = reference_list(
            [
                "The military balance 2024. International Institute of Strategic Studies. P. 543.",
                "The military balance 2024. International Institute of Strategic Studies. P. 67.",
                "The military balance 2024. International Institute of Strategic Studies. P. 186.",
                "Автор благодарит коллег.",
                "Smith J. Title // Journal. 2021. No. 3. P. 10–20.",
                "Smith J. Title // Journal. 2021. No. 3. P. 10–20.",
            ]
        )
        self.assertEqual([work.title for work in works], ["The military balance 2024", "Title"])
        self.assertEqual(works[0].pages, "")  # three different pages of one report
        self.assertEqual(works[1].pages, "10–20")

    def test_note_text_from_rich_text(self) -> None:
        self.assertEqual(
            note_text(
                '<p>Доклад <i>SIPRI</i> &amp; партнёров. <a href="https://sipri.org/x?a=1&amp;b=2">Сайт</a>.</p>'
            ),
            "Доклад SIPRI & партнёров. Сайт . URL: https://sipri.org/x?a=1&b=2",
        )
        self.assertEqual(
            note_text('<p><a href="https://sipri.org/">https://sipri.org/</a></p>'),
            "https://sipri.org/",
        )


class DateTests(SimpleTestCase):
    def test_date_forms(self) -> None:
        expected = datetime.date(2024, 3, 15)
        for text in ("15.03.2024", "2024-03-15", "15 марта 2024 г.", "March 15, 2024",
                     "15 March 2024", "15 Mar. 2024"):  # fmt: skip
            with self.subTest(text=text):
                self.assertEqual(parse_date(text), expected)
        self.assertEqual(parse_date("1 мая 2024"), datetime.date(2024, 5, 1))
        self.assertIsNone(parse_date("31.02.2024"))
        self.assertIsNone(parse_date("вчера"))
