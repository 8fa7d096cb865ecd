"""«Как цитировать» and the citation downloads, read back with real parsers."""

from __future__ import annotations

import datetime
import json
import re

import bibtexparser
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from vestnik.articles.citations.names import Person
from vestnik.articles.citations.records import CitationRecord, citation_key
from vestnik.articles.citations.styles import (
    apa_citation,
    chicago_citation,
    gost_citation,
    headline_case,
    plain_text,
)
from vestnik.articles.factories import article_in_blog, english_translation, expert_with_blog
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country, Topic

TITLE = "На перекрестке Евразии: динамика казахстанско-турецкого военного сотрудничества"
IISS = "The military balance 2024. International Institute of Strategic Studies."
URL = "https://vestnik.example/blogs/asan-zhakupov/na-perekrestke-evrazii/"
TITLE_EN = "At the crossroads of Eurasia: the dynamics of Kazakh-Turkish military cooperation"
URL_EN = "https://vestnik.example/en/blogs/asan-zhakupov/at-the-crossroads-of-eurasia/"

# CSL-JSON item variables (citation-style-language/schema, csl-data.json): a download
# must use no other names, or citeproc processors silently drop the field.
CSL_VARIABLES = frozenset(
    (  # noqa: SIM905 (the schema's list, as text)
        "id type categories language journalAbbreviation shortTitle author chair "
        "collection-editor compiler composer container-author contributor curator director "
        "editor editorial-director executive-producer guest host interviewer illustrator "
        "narrator organizer original-author performer producer recipient reviewed-author "
        "script-writer series-creator translator accessed available-date event-date issued "
        "original-date submitted abstract annote archive archive_collection archive_location "
        "archive-place authority call-number chapter-number citation-number citation-key "
        "citation-label collection-number collection-title container-title "
        "container-title-short dimensions division DOI edition event event-title event-place "
        "first-reference-note-number genre ISBN ISSN issue jurisdiction keyword locator medium "
        "note number number-of-pages number-of-volumes original-publisher "
        "original-publisher-place original-title page page-first part-number part-title PMCID "
        "PMID printing publisher publisher-place references reviewed-genre reviewed-title scale "
        "section source status supplement-number title title-short URL version volume "
        "volume-title volume-title-short year-suffix custom"
    ).split()
)
CSL_TYPES = frozenset(
    (  # noqa: SIM905 (the schema's list, as text)
        "article article-journal article-magazine article-newspaper bill book broadcast "
        "chapter classic collection dataset document entry entry-dictionary "
        "entry-encyclopedia event figure graphic hearing interview legal_case legislation "
        "manuscript map motion_picture musical_score pamphlet paper-conference patent "
        "performance periodical personal_communication post post-weblog regulation report "
        "review review-book software song speech standard thesis treaty webpage"
    ).split()
)


def record(**changes: object) -> CitationRecord:
    fields: dict[str, object] = {
        "key": "zhakupov2025perekrestke",
        "title": TITLE,
        "authors": (Person("Жакупов", "Асан"),),
        "container_title": "Блог Асана Жакупова",
        "publisher": "Вестник",
        "issued": datetime.date(2025, 11, 28),
        "url": URL,
        "language": "ru",
    }
    fields.update(changes)
    return CitationRecord(**fields)  # type: ignore[arg-type]


def english_record(**changes: object) -> CitationRecord:
    fields: dict[str, object] = {
        "key": "zhakupov2025crossroads",
        "title": TITLE_EN,
        "authors": (Person("Zhakupov", "Asan"),),
        "container_title": "Asan Zhakupov's Blog",
        "publisher": "Vestnik",
        "url": URL_EN,
        "language": "en",
    }
    fields.update(changes)
    return record(**fields)


class NameTests(SimpleTestCase):
    def test_forms_of_a_name(self) -> None:
        person = Person.from_full_name("Асан Жакупов")
        self.assertEqual(person, Person("Жакупов", "Асан"))
        self.assertEqual(person.family_initials, "Жакупов А.")
        self.assertEqual(person.family_comma_initials, "Жакупов, А.")
        self.assertEqual(person.initials_family, "А. Жакупов")
        self.assertEqual(person.family_given, "Жакупов, Асан")

    def test_patronymics_double_names_and_single_words(self) -> None:
        self.assertEqual(
            Person.from_full_name("Иван Иванович Петров").family_initials, "Петров И. И."
        )
        self.assertEqual(Person.from_full_name("Анна-Мария Смит").initials, "А.-М.")
        self.assertEqual(Person.from_full_name("Платон").family_initials, "Платон")
        self.assertEqual(Person.from_full_name("").family, "")

    def test_citation_key(self) -> None:
        authors = [Person("Жакупов", "Асан")]
        self.assertEqual(
            citation_key(authors, datetime.date(2025, 11, 28), TITLE), "zhakupov2025perekrestke"
        )
        self.assertEqual(
            citation_key([], datetime.date(2024, 1, 1), "The military balance"),
            "vestnik2024military",
        )


class GostTests(SimpleTestCase):
    def test_the_reference_pages_form(self) -> None:
        text = plain_text(gost_citation(record(), accessed=datetime.date(2026, 11, 26)))
        self.assertEqual(
            text,
            f"Жакупов А. {TITLE} // Блог Асана Жакупова. 28.11.2025. "
            f"URL: {URL} (дата обращения: 26.11.2026).",
        )

    def test_access_date_as_time_element_or_placeholder_or_none(self) -> None:
        fixed = gost_citation(record(), accessed=datetime.date(2026, 11, 26))
        self.assertIn('(дата обращения: <time datetime="2026-11-26">26.11.2026</time>).', fixed)
        placeholder = gost_citation(record(), access_placeholder=True)
        self.assertIn("(дата обращения: <span data-cite-accessed>дд.мм.гггг</span>).", placeholder)
        self.assertTrue(plain_text(gost_citation(record())).endswith(f"URL: {URL}."))

    def test_two_three_and_four_authors(self) -> None:
        two = record(authors=(Person("Жакупов", "Асан"), Person("Соколова", "Ирина")))
        self.assertTrue(
            plain_text(gost_citation(two)).startswith(f"Жакупов А., Соколова И. {TITLE} //")
        )
        four = record(
            authors=(
                Person("Жакупов", "Асан"),
                Person("Соколова", "Ирина"),
                Person("Токаева", "Дина"),
                Person("Иванов", "Иван Петрович"),
            )
        )
        self.assertTrue(
            plain_text(gost_citation(four)).startswith(
                f"{TITLE} / А. Жакупов, И. Соколова, Д. Токаева [и др.] // Блог"
            )
        )

    def test_no_author_and_html_escaping(self) -> None:
        text = gost_citation(record(authors=(), title="Россия & <Китай>"))
        self.assertIn("Россия &amp; &lt;Китай&gt; // Блог", text)
        self.assertTrue(plain_text(text).startswith("Россия & <Китай> // Блог Асана Жакупова."))

    def test_a_question_in_the_title_keeps_its_mark(self) -> None:
        text = plain_text(gost_citation(record(title="Казахстан в орбите Турции?")))
        self.assertIn("Жакупов А. Казахстан в орбите Турции? // Блог", text)


class ApaTests(SimpleTestCase):
    def test_one_author(self) -> None:
        html = apa_citation(record())
        self.assertEqual(
            str(html),
            f"Жакупов, А. (2025, November 28). {TITLE}. <i>Блог Асана Жакупова</i>. {URL}",
        )

    def test_two_and_three_authors(self) -> None:
        two = record(authors=(Person("Жакупов", "Асан"), Person("Соколова", "Ирина")))
        self.assertTrue(
            plain_text(apa_citation(two)).startswith("Жакупов, А., & Соколова, И. (2025")
        )
        three = record(
            authors=(
                Person("Жакупов", "Асан"),
                Person("Соколова", "Ирина"),
                Person("Токаева", "Дина"),
            )
        )
        self.assertTrue(
            plain_text(apa_citation(three)).startswith(
                "Жакупов, А., Соколова, И., & Токаева, Д. (2025"
            )
        )

    def test_title_punctuation_and_missing_author(self) -> None:
        text = plain_text(apa_citation(record(title="Казахстан в орбите Турции?")))
        self.assertIn("(2025, November 28). Казахстан в орбите Турции? Блог", text)
        text = plain_text(apa_citation(record(authors=())))
        self.assertTrue(text.startswith(f"{TITLE}. (2025, November 28). Блог Асана Жакупова."))


class EnglishApaTests(SimpleTestCase):
    def test_transliterated_names_and_the_english_blog(self) -> None:
        self.assertEqual(
            str(apa_citation(english_record())),
            f"Zhakupov, A. (2025, November 28). {TITLE_EN}. <i>Asan Zhakupov&#x27;s Blog</i>. "
            f"{URL_EN}",
        )

    def test_two_authors(self) -> None:
        two = english_record(authors=(Person("Zhakupov", "Asan"), Person("Sokolova", "Irina")))
        self.assertTrue(
            plain_text(apa_citation(two)).startswith(
                "Zhakupov, A., & Sokolova, I. (2025, November 28). At the crossroads"
            )
        )


class ChicagoTests(SimpleTestCase):
    """Bibliography entries of a blog post by the rules of Chicago 18th ed. (14.106, 13.76)."""

    def test_one_author(self) -> None:
        self.assertEqual(
            str(chicago_citation(english_record())),
            "Zhakupov, Asan. “At the Crossroads of Eurasia: The Dynamics of Kazakh-Turkish "
            "Military Cooperation.” <i>Asan Zhakupov&#x27;s Blog</i>, Vestnik, November 28, 2025. "
            f"{URL_EN}",
        )

    def test_two_three_and_seven_authors(self) -> None:
        people = [
            Person("Zhakupov", "Asan"),
            Person("Sokolova", "Irina"),
            Person("Tokaeva", "Dina"),
            Person("Ivanov", "Ivan"),
            Person("Petrov", "Petr"),
            Person("Sidorova", "Anna"),
            Person("Kim", "Oleg"),
        ]
        cases = {
            2: "Zhakupov, Asan, and Irina Sokolova. “At",
            3: "Zhakupov, Asan, Irina Sokolova, and Dina Tokaeva. “At",
            6: "Zhakupov, Asan, Irina Sokolova, Dina Tokaeva, Ivan Ivanov, Petr Petrov, "
            "and Anna Sidorova. “At",
            7: "Zhakupov, Asan, Irina Sokolova, Dina Tokaeva, et al. “At",
        }
        for count, start in cases.items():
            with self.subTest(count=count):
                text = plain_text(chicago_citation(english_record(authors=tuple(people[:count]))))
                self.assertTrue(text.startswith(start), text)

    def test_no_author_a_question_and_a_blog_not_named_so(self) -> None:
        text = plain_text(
            chicago_citation(
                english_record(
                    authors=(), title="Is Kazakhstan in Turkey's orbit?", container_title="Eurasia"
                )
            )
        )
        self.assertEqual(
            text,
            "“Is Kazakhstan in Turkey's Orbit?” Eurasia (blog), Vestnik, November 28, 2025. "
            f"{URL_EN}",
        )

    def test_escaping(self) -> None:
        html = chicago_citation(english_record(title="Russia & <China>"))
        self.assertIn("“Russia &amp; &lt;China&gt;.”", html)

    def test_headline_style(self) -> None:
        cases = {
            "Caspian transit and the new routes": "Caspian Transit and the New Routes",
            "What NATO wants from an iPhone in Kazakhstan": (
                "What NATO Wants from an iPhone in Kazakhstan"
            ),
            "Up-to-date data On the economy": "Up-to-Date Data on the Economy",
            "A war to end all wars": "A War to End All Wars",
            "Where are we going to": "Where Are We Going To",
            "Turkey: a partner of choice": "Turkey: A Partner of Choice",
        }
        for title, expected in cases.items():
            with self.subTest(title=title):
                self.assertEqual(headline_case(title), expected)


class CitationPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        cls.defence = Topic.objects.create(name_ru="Оборона", name_en="Defence", slug="defence")
        cls.blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        cls.co_author = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
        cls.article = article_in_blog(
            cls.blog,
            title=TITLE,
            date=datetime.date(2025, 11, 28),
            lead="Казахстан расширяет военное сотрудничество с Турцией.",
            body=[
                ("paragraph", "<p>Расходы [^1], экспорт [^2], бронетехника [^3], итог [^4].</p>")
            ],
            footnotes={
                "1": f"<p>{IISS} P. 543.</p>",
                "2": f"<p>{IISS} P. 67.</p>",
                "3": "<p>Smith J. Turkish drones // Survival. 2021. Vol. 63, No. 3. P. 10–20.</p>",
                "4": "<p>Автор благодарит коллег за обсуждение.</p>",
            },
        )
        cls.article.countries.add(cls.kz)
        cls.article.topics.add(cls.defence)
        cls.article.co_authors.add(cls.co_author)
        cls.article.save_revision().publish()
        cls.plain = article_in_blog(cls.blog, title="Без сносок", footnotes={}, body=[])
        cls.translation = english_translation(
            cls.article,
            title=TITLE_EN,
            lead="Kazakhstan is widening its military cooperation with Turkey.",
            body=[("paragraph", "<p>Spending [^1], exports [^2].</p>")],
            footnotes={"1": f"<p>{IISS} P. 543.</p>", "2": f"<p>{IISS} P. 67.</p>"},
        )

    def download(self, path: str, content_type: str) -> str:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response["Content-Type"], content_type)
        self.assertRegex(response["Content-Disposition"], r'^attachment; filename="[\w-]+\.\w+"$')
        return response.content.decode()

    def test_how_to_cite_block_on_the_cached_page(self) -> None:
        html = self.client.get(self.article.url).content.decode()
        block = re.search(r'<section class="cite".*?</section>', html, re.S)
        assert block is not None
        cite = block.group(0)
        self.assertIn(
            "Жакупов А., Соколова И. На перекрестке Евразии: динамика "
            "казахстанско-турецкого военного сотрудничества // Блог Асана Жакупова. 28.11.2025. "
            f"URL: http://localhost{self.article.url} (дата обращения: "
            "<span data-cite-accessed>дд.мм.гггг</span>).",
            cite,
        )
        self.assertIn("Жакупов, А., &amp; Соколова, И. (2025, November 28).", cite)
        # The cached page never carries the server's date: the script fills in the reader's.
        self.assertNotIn(timezone.localdate().strftime("%d.%m.%Y"), cite)
        self.assertIn('<script src="/static/js/cite.js" defer></script>', cite)
        self.assertEqual(cite.count("data-cite-copy="), 2)
        self.assertIn("hidden>", cite)  # copy buttons appear only with JavaScript
        for href in (
            "cite.bib",
            "cite.ris",
            "cite.json",
            "pdf/",
            "references.bib",
            "references.ris",
        ):
            self.assertIn(f'href="{self.article.url}{href}"', cite)

    def test_the_block_sits_in_the_reserved_slot(self) -> None:
        html = self.client.get(self.article.url).content.decode()
        self.assertLess(html.index('role="doc-endnotes"'), html.index('<section class="cite"'))
        self.assertLess(html.index('<section class="cite"'), html.index('<section class="tags"'))

    def test_print_view_uses_the_servers_date(self) -> None:
        html = self.client.get(f"{self.article.url}print/").content.decode()
        today = timezone.localdate()
        self.assertIn(
            f'(дата обращения: <time datetime="{today.isoformat()}">'
            f"{today.strftime('%d.%m.%Y')}</time>).",
            html,
        )
        self.assertNotIn("data-cite-copy", html)

    def test_no_reference_downloads_without_references(self) -> None:
        html = self.client.get(self.plain.url).content.decode()
        self.assertIn(f'href="{self.plain.url}cite.bib"', html)
        self.assertNotIn("references.bib", html)
        self.assertEqual(self.client.get(f"{self.plain.url}references.bib").status_code, 404)

    def test_bibtex(self) -> None:
        text = self.download(f"{self.article.url}cite.bib", "application/x-bibtex; charset=utf-8")
        library = bibtexparser.parse_string(text)
        self.assertEqual(library.failed_blocks, [])
        [entry] = library.entries
        self.assertEqual((entry.entry_type, entry.key), ("online", "zhakupov2025perekrestke"))
        fields = {field.key: field.value for field in entry.fields}
        self.assertEqual(
            fields,
            {
                "author": "Жакупов, Асан and Соколова, Ирина",
                "title": TITLE,
                "titleaddon": "Блог Асана Жакупова",
                "organization": "Вестник",
                "date": "2025-11-28",
                "year": "2025",
                "url": f"http://localhost{self.article.url}",
                "langid": "russian",
                "abstract": "Казахстан расширяет военное сотрудничество с Турцией.",
                "keywords": "Казахстан, Оборона",
            },
        )
        names = bibtexparser.parse_string(
            text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
        ).entries[0]["author"]
        self.assertEqual(
            [(n.last, n.first) for n in names], [(["Жакупов"], ["Асан"]), (["Соколова"], ["Ирина"])]
        )

    def test_ris(self) -> None:
        text = self.download(
            f"{self.article.url}cite.ris", "application/x-research-info-systems; charset=utf-8"
        )
        [entry] = rispy.loads(text)
        self.assertEqual(
            entry,
            {
                "type_of_reference": "BLOG",
                "authors": ["Жакупов, Асан", "Соколова, Ирина"],
                "title": TITLE,
                "secondary_title": "Блог Асана Жакупова",
                "publisher": "Вестник",
                "year": "2025",
                "date": "2025/11/28",
                "urls": [f"http://localhost{self.article.url}"],
                "language": "ru",
                "abstract": "Казахстан расширяет военное сотрудничество с Турцией.",
                "keywords": ["Казахстан", "Оборона"],
                "file_attachments1": f"http://localhost{self.article.url}pdf/",
                "id": "zhakupov2025perekrestke",
            },
        )

    def test_csl_json(self) -> None:
        text = self.download(
            f"{self.article.url}cite.json", "application/vnd.citationstyles.csl+json; charset=utf-8"
        )
        [item] = json.loads(text)
        self.assertLessEqual(set(item), CSL_VARIABLES)
        self.assertIn(item["type"], CSL_TYPES)
        self.assertEqual(
            item,
            {
                "id": "zhakupov2025perekrestke",
                "type": "post-weblog",
                "title": TITLE,
                "author": [
                    {"family": "Жакупов", "given": "Асан"},
                    {"family": "Соколова", "given": "Ирина"},
                ],
                "issued": {"date-parts": [[2025, 11, 28]]},
                "container-title": "Блог Асана Жакупова",
                "publisher": "Вестник",
                "URL": f"http://localhost{self.article.url}",
                "language": "ru",
                "abstract": "Казахстан расширяет военное сотрудничество с Турцией.",
                "keyword": "Казахстан, Оборона",
            },
        )

    def test_reference_list_downloads(self) -> None:
        bib = self.download(
            f"{self.article.url}references.bib", "application/x-bibtex; charset=utf-8"
        )
        library = bibtexparser.parse_string(bib)
        self.assertEqual(library.failed_blocks, [])
        report, article = library.entries  # the report is cited twice but listed once
        self.assertEqual((report.entry_type, report.key), ("book", "international2024"))
        self.assertEqual(
            {field.key: field.value for field in report.fields},
            {
                "title": "The military balance 2024",
                "publisher": "International Institute of Strategic Studies",
                "year": "2024",
            },
        )
        self.assertEqual((article.entry_type, article.key), ("article", "smith2021"))
        self.assertEqual(
            {field.key: field.value for field in article.fields},
            {
                "author": "Smith, J.",
                "title": "Turkish drones",
                "journaltitle": "Survival",
                "volume": "63",
                "number": "3",
                "pages": "10–20",
                "year": "2021",
            },
        )
        ris = rispy.loads(
            self.download(
                f"{self.article.url}references.ris",
                "application/x-research-info-systems; charset=utf-8",
            )
        )
        self.assertEqual(
            ris,
            [
                {
                    "type_of_reference": "BOOK",
                    "title": "The military balance 2024",
                    "publisher": "International Institute of Strategic Studies",
                    "year": "2024",
                },
                {
                    "type_of_reference": "JOUR",
                    "authors": ["Smith, J."],
                    "title": "Turkish drones",
                    "secondary_title": "Survival",
                    "volume": "63",
                    "number": "3",
                    "start_page": "10",
                    "end_page": "20",
                    "year": "2021",
                },
            ],
        )

    def test_downloads_refusals(self) -> None:
        url = self.article.url
        # The Russian article's path under /en/ (its address before translations) leads
        # to its translation's file (vestnik/site/views.py), never Russian data under /en/.
        self.assertRedirects(
            self.client.get(f"/en{url}cite.bib"),
            f"{self.translation.url}cite.bib",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get(f"{url}cite.txt").status_code, 404)
        self.assertEqual(self.client.get(f"{url}cite.bib/").status_code, 404)
        draft = article_in_blog(self.blog, title="Черновик", publish=False)
        self.assertEqual(self.client.get(f"{draft.url}cite.bib").status_code, 404)

    def test_downloads_are_not_page_cached(self) -> None:
        first = self.client.get(f"{self.article.url}cite.bib")
        second = self.client.get(f"{self.article.url}cite.bib")
        self.assertNotIn("X-Page-Cache", first)
        self.assertNotIn("X-Page-Cache", second)
        self.assertIn("Content-Disposition", second)


class EnglishCitationPageTests(TestCase):
    """The English translation is cited as an English text: its names, blog, site and URL."""

    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.kz = Country.objects.create(
            name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
        )
        blog = expert_with_blog("Асан Жакупов", "Асана Жакупова")
        co_author = expert_with_blog("Ирина Соколова", "Ирины Соколовой").expert
        # The editors' spelling wins over the transliteration («Irina»).
        co_author.full_name_en = "Irene Sokolova"
        co_author.save()
        cls.article = article_in_blog(blog, title=TITLE, date=datetime.date(2025, 11, 28))
        cls.article.countries.add(cls.kz)
        cls.article.co_authors.add(co_author)
        cls.article.save_revision().publish()
        cls.translation = english_translation(
            cls.article, title=TITLE_EN, lead="Kazakhstan widens its cooperation with Turkey."
        )
        cls.url = cls.translation.url
        cls.full_url = f"http://localhost{cls.url}"

    def test_the_translation_lives_under_en(self) -> None:
        self.assertTrue(self.url.startswith("/en/blogs/"), self.url)
        self.assertEqual(self.translation.language, "en")

    def test_how_to_cite_gives_apa_and_chicago_with_english_names(self) -> None:
        html = self.client.get(self.url).content.decode()
        block = re.search(r'<section class="cite".*?</section>', html, re.S)
        assert block is not None
        cite = block.group(0)
        self.assertIn(
            "Zhakupov, A., &amp; Sokolova, I. (2025, November 28). "
            f"{TITLE_EN}. <i>Asan Zhakupov&#x27;s Blog</i>. {self.full_url}",
            cite,
        )
        self.assertIn(
            "Zhakupov, Asan, and Irene Sokolova. “At the Crossroads of Eurasia: The Dynamics "
            "of Kazakh-Turkish Military Cooperation.” <i>Asan Zhakupov&#x27;s Blog</i>, "
            f"Vestnik, November 28, 2025. {self.full_url}",
            cite,
        )
        self.assertIn("APA 7th edition", cite)
        self.assertIn("Chicago 18th edition", cite)
        self.assertNotIn("GOST", cite)
        self.assertNotIn("дата обращения", cite)
        self.assertNotRegex(cite, "[А-Яа-яЁё]")
        self.assertEqual(cite.count("data-cite-copy="), 2)
        for href in ("cite.bib", "cite.ris", "cite.json", "pdf/"):
            self.assertIn(f'href="{self.url}{href}"', cite)

    def test_scholarly_meta_tags_come_from_the_same_record(self) -> None:
        html = self.client.get(self.url).content.decode()
        for name, content in (
            ("citation_author", "Zhakupov, Asan"),
            ("citation_author", "Sokolova, Irene"),
            ("citation_language", "en"),
            ("citation_publisher", "Vestnik"),
            ("citation_pdf_url", f"{self.full_url}pdf/"),
        ):
            self.assertIn(f'<meta name="{name}" content="{content}">', html)

    def test_the_russian_original_keeps_gost_and_apa(self) -> None:
        html = self.client.get(self.article.url).content.decode()
        cite = html[html.index('<section class="cite"') :]
        self.assertIn("Жакупов А., Соколова И. На перекрестке Евразии", cite)
        self.assertIn("Жакупов, А., &amp; Соколова, И. (2025, November 28).", cite)
        self.assertNotIn("Chicago", cite[: cite.index("</section>")])

    def test_bibtex_langid_per_version(self) -> None:
        english = bibtexparser.parse_string(self.client.get(f"{self.url}cite.bib").content.decode())
        [entry] = english.entries
        self.assertEqual(entry.key, "zhakupov2025crossroads")
        fields = {field.key: field.value for field in entry.fields}
        self.assertEqual(
            fields,
            {
                "author": "Zhakupov, Asan and Sokolova, Irene",
                "title": TITLE_EN,
                "titleaddon": "Asan Zhakupov's Blog",
                "organization": "Vestnik",
                "date": "2025-11-28",
                "year": "2025",
                "url": self.full_url,
                "langid": "english",
                "abstract": "Kazakhstan widens its cooperation with Turkey.",
                "keywords": "Kazakhstan",
            },
        )
        russian = bibtexparser.parse_string(
            self.client.get(f"{self.article.url}cite.bib").content.decode()
        )
        russian_fields = {field.key: field.value for field in russian.entries[0].fields}
        self.assertEqual(russian_fields["langid"], "russian")
        self.assertEqual(russian_fields["author"], "Жакупов, Асан and Соколова, Ирина")
        self.assertEqual(russian_fields["organization"], "Вестник")
        self.assertEqual(russian_fields["keywords"], "Казахстан")

    def test_ris_and_csl_json_carry_the_english_version(self) -> None:
        [ris] = rispy.loads(self.client.get(f"{self.url}cite.ris").content.decode())
        self.assertEqual(ris["language"], "en")
        self.assertEqual(ris["authors"], ["Zhakupov, Asan", "Sokolova, Irene"])
        self.assertEqual(ris["secondary_title"], "Asan Zhakupov's Blog")
        self.assertEqual(ris["publisher"], "Vestnik")
        self.assertEqual(ris["urls"], [self.full_url])
        self.assertEqual(ris["file_attachments1"], f"{self.full_url}pdf/")
        [item] = json.loads(self.client.get(f"{self.url}cite.json").content.decode())
        self.assertEqual(item["language"], "en")
        self.assertEqual(
            item["author"],
            [{"family": "Zhakupov", "given": "Asan"}, {"family": "Sokolova", "given": "Irene"}],
        )
        self.assertEqual(
            (item["container-title"], item["publisher"], item["URL"]),
            ("Asan Zhakupov's Blog", "Vestnik", self.full_url),
        )

    def test_print_view_is_english(self) -> None:
        response = self.client.get(f"{self.url}print/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        today = timezone.localdate()
        self.assertIn('<html lang="en">', html)
        self.assertIn('<article class="article" lang="en"', html)
        self.assertIn("Vestnik · Asan Zhakupov&#x27;s Blog", html)
        self.assertIn("Zhakupov, Asan, and Irene Sokolova.", html)
        self.assertIn('<span class="byline">Asan Zhakupov, Irene Sokolova</span>', html)
        self.assertIn("28 November 2025", html)
        self.assertIn("The first note.", html)
        self.assertIn(f"Accessed on {today.day} {today.strftime('%B %Y')}", html)
        self.assertIn("How to cite", html)
        self.assertIn("Back to the article", html)
        self.assertNotRegex(re.sub(r"<(script|link|meta)[^>]*>", "", html), "[А-Яа-яЁё]")
