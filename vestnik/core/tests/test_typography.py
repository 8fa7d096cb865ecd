from django.utils import translation

from vestnik.core.typography import NBSP, typograph_html, typograph_text


def test_quotes_become_guillemets_with_nested_lapki() -> None:
    assert typograph_text('Статус "средней "великой" державы"') == (
        "Статус «средней „великой“ державы»"
    )


def test_short_words_bind_to_the_next_word() -> None:
    assert typograph_text("и в Казахстане") == f"и{NBSP}в{NBSP}Казахстане"


def test_dash_never_starts_a_line() -> None:
    assert typograph_text("Италия — 23%") == f"Италия{NBSP}— 23%"


def test_numbers_keep_their_units() -> None:
    assert f"2023{NBSP}г." in typograph_text("в 2023 г. расходы")
    assert f"2,5{NBSP}млрд" in typograph_text("составили 2,5 млрд долл.")


def test_markup_and_attributes_are_untouched() -> None:
    html = '<p><a href="/a b" title="x y">в городе</a> "цитата"</p><code>"a" и b</code>'
    out = typograph_html(html)
    assert '<a href="/a b" title="x y">' in out
    assert f"в{NBSP}городе" in out
    assert "«цитата»" in out
    assert '<code>"a" и b</code>' in out


def test_quote_spanning_inline_markup_closes_correctly() -> None:
    assert typograph_html('<p>"<b>Жирный</b>" текст</p>') == "<p>«<b>Жирный</b>» текст</p>"


def test_english_text_gets_english_quotes_and_binds_only_one_letter_words() -> None:
    text = typograph_text('He called it "a deal of "last resort"" in 2023', language="en")
    assert text == f"He called it “a{NBSP}deal of ‘last resort’” in 2023"


def test_the_reader_s_language_chooses_the_rules() -> None:
    with translation.override("en"):
        assert typograph_html('<p>"Quote"</p>') == "<p>“Quote”</p>"
    with translation.override("ru"):
        assert typograph_html('<p>"Цитата"</p>') == "<p>«Цитата»</p>"


def test_counts_are_grouped_as_each_language_sets_them() -> None:
    from vestnik.core.typography import number_grouped

    assert number_grouped(1538, "ru") == "1538"
    assert number_grouped(34275, "ru") == "34\u00a0275"
    assert number_grouped(1234567, "ru") == "1\u00a0234\u00a0567"
    assert number_grouped(1538, "en") == "1,538"
    assert number_grouped(987, "en") == "987"
