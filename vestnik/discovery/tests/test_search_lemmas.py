"""Words to terms, and marking matched words in snippets: no database involved."""

from __future__ import annotations

from django.test import SimpleTestCase

from vestnik.discovery.search.lemmas import (
    MAX_WORD_LENGTH,
    TermCache,
    lemma_forms,
    query_terms,
    text_terms,
    text_words,
)
from vestnik.discovery.search.snippets import Highlighter


def lemmas(text: str) -> list[set[str]]:
    return [set(term) for term in text_terms(text)]


def shares_lemma(first: str, second: str) -> bool:
    [a], [b] = text_terms(first), text_terms(second)
    return bool(set(a) & set(b))


class TermCacheTests(SimpleTestCase):
    TEXT = (
        "Армия Казахстана получила турецкие беспилотники «Байрактар», стали и сталью;"
        " в 2024 году — the drones were delivered. Ёлка, елка, ударе\u0301ние."
    )

    def test_a_bulk_job_finds_the_same_terms(self) -> None:
        cache = TermCache()
        self.assertEqual(text_terms(self.TEXT, cache=cache), text_terms(self.TEXT))
        self.assertEqual(text_terms(self.TEXT, cache=cache), text_terms(self.TEXT))

    def test_it_stops_growing_at_its_limit(self) -> None:
        cache = TermCache(limit=3)
        self.assertEqual(text_terms(self.TEXT, cache=cache), text_terms(self.TEXT))
        self.assertEqual(len(cache), 3)


class RussianWordFormsTests(SimpleTestCase):
    def test_forms_of_one_word_share_a_lemma(self) -> None:
        pairs = [
            ("турецких", "турецкие"),
            ("беспилотников", "беспилотники"),
            ("Казахстана", "Казахстан"),
            ("Байрактаром", "Байрактар"),
            ("Байрактары", "Байрактаром"),
            ("сталью", "стали"),
            ("людей", "человек"),
        ]
        for first, second in pairs:
            with self.subTest(first=first, second=second):
                self.assertTrue(shares_lemma(first, second))

    def test_different_words_do_not(self) -> None:
        self.assertFalse(shares_lemma("Казахстан", "Турция"))
        self.assertFalse(shares_lemma("беспилотник", "самолёт"))

    def test_lemmas_are_dictionary_forms(self) -> None:
        self.assertEqual(lemmas("турецких беспилотников"), [{"турецкий"}, {"беспилотник"}])
        self.assertEqual(lemmas("Казахстана"), [{"казахстан"}])

    def test_an_ambiguous_known_word_keeps_every_lemma(self) -> None:
        self.assertEqual(lemmas("стали"), [{"стать", "сталь"}])

    def test_yo_is_folded_and_stress_marks_dropped(self) -> None:
        self.assertEqual(lemmas("Ёлки"), lemmas("елки"))
        self.assertEqual(lemmas("самолёт"), lemmas("самолет"))
        self.assertEqual(lemmas("ударе\u0301ние"), [{"ударение"}])
        self.assertNotEqual(lemmas("мой"), lemmas("мои"))  # «й» is not «и»

    def test_function_words_are_left_out(self) -> None:
        self.assertEqual(text_terms("в и с не по что же the of and"), [])
        self.assertEqual(lemmas("Турция и Казахстан"), [{"турция"}, {"казахстан"}])

    def test_latin_words_are_stemmed_in_any_text(self) -> None:
        self.assertEqual(lemmas("Bayraktars Bayraktar drones"), [{"bayraktar"}] * 2 + [{"drone"}])
        self.assertEqual(lemmas("military cooperation"), [{"militari"}, {"cooper"}])

    def test_numbers_are_kept_and_hyphens_split(self) -> None:
        self.assertEqual(lemmas("F-16 и Су-35 в 2024"), [{"f"}, {"16"}, {"су"}, {"35"}, {"2024"}])

    def test_over_long_words_are_not_terms(self) -> None:
        self.assertEqual(text_terms("ы" * (MAX_WORD_LENGTH + 1) + " дрон"), text_terms("дрон"))

    def test_markup_and_sql_are_just_words(self) -> None:
        self.assertEqual(
            lemmas("<script>alert(1)</script>"), [{"script"}, {"alert"}, {"1"}, {"script"}]
        )
        self.assertEqual(lemmas("'; DROP TABLE --"), [{"drop"}, {"tabl"}])
        self.assertEqual(text_terms("!!! ??? «» — *"), [])


class QueryTermsTests(SimpleTestCase):
    def test_terms_are_distinct_and_capped(self) -> None:
        terms, cut = query_terms("Турции турция Анкара Анкары", limit=20)
        self.assertEqual(terms, [("турция",), ("анкара",)])
        self.assertFalse(cut)
        terms, cut = query_terms(" ".join(f"слово{n}" for n in range(30)), limit=20)
        self.assertEqual(len(terms), 20)
        self.assertTrue(cut)


class WordOffsetsTests(SimpleTestCase):
    def test_offsets_point_into_the_original_text(self) -> None:
        text = "Поставки «Байрактаров» в Казахстан"
        spans = [(text[start:end], term) for start, end, term in text_words(text)]
        self.assertEqual(
            spans,
            [
                ("Поставки", ("поставка",)),
                ("Байрактаров", ("байрактар",)),
                ("Казахстан", ("казахстан",)),
            ],
        )

    def test_forms_of_a_lemma(self) -> None:
        self.assertIn("турецких", lemma_forms("турецкий"))
        self.assertIn("люди", lemma_forms("человек"))
        self.assertEqual(lemma_forms("bayraktar"), frozenset({"bayraktar"}))


class HighlighterTests(SimpleTestCase):
    def highlighter(self, query: str) -> Highlighter:
        return Highlighter(query_terms(query, limit=20)[0])

    def test_every_form_is_marked_and_the_rest_escaped(self) -> None:
        html = self.highlighter("турецких беспилотников").highlight(
            "Турецкие <b>беспилотники</b> & турецкий беспилотник"
        )
        self.assertEqual(
            html,
            "<mark>Турецкие</mark> &lt;b&gt;<mark>беспилотники</mark>&lt;/b&gt; &amp; "
            "<mark>турецкий</mark> <mark>беспилотник</mark>",
        )

    def test_yo_in_the_text_and_suppletive_forms(self) -> None:
        html = self.highlighter("елка человек").highlight("Ёлка для людей")
        self.assertEqual(html, "<mark>Ёлка</mark> для <mark>людей</mark>")

    def test_only_whole_words_match(self) -> None:
        self.assertEqual(
            self.highlighter("дрон").highlight("андрон дроны"), "андрон <mark>дроны</mark>"
        )

    def test_english_forms_are_marked_by_their_stem(self) -> None:
        self.assertEqual(
            self.highlighter("drones countries").highlight("A drone crossed the country."),
            "A <mark>drone</mark> crossed the <mark>country</mark>.",
        )

    def test_snippet_shows_the_passage_with_the_most_terms(self) -> None:
        text = "Вступление. " * 40 + "Турция и беспилотники. " + "Середина. " * 40
        text += "Казахстан закупает турецкие беспилотники. " + "Конец. " * 40
        snippet = self.highlighter("турецкие беспилотники Казахстан").snippet(text)
        self.assertTrue(snippet.startswith("…"))
        self.assertTrue(snippet.endswith("…"))
        self.assertIn(
            "<mark>Казахстан</mark> закупает <mark>турецкие</mark> <mark>беспилотники</mark>",
            snippet,
        )
        self.assertLess(len(snippet), 400)

    def test_snippet_without_a_match_is_the_beginning(self) -> None:
        snippet = self.highlighter("сталь").snippet("Короткий лид <статьи>.")
        self.assertEqual(snippet, "Короткий лид &lt;статьи&gt;.")
