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
