"""The saved-page parser on its own: text in, ArticleDraft out, no database."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from vestnik.articles.drafts import HeadingDraft, ImageDraft, ParagraphDraft, draft_fingerprint
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.page_text import parse_page_text

FILES = Path(__file__).parent / "files"
CHROME = (
    "Распечатать",
    "Поделиться",
    "Социальная сеть запрещена",
    "Бизнесу",
    "Исследователям",
    "Учащимся",
    "Прошедший опрос",
    "Отметьте не более",
)


def read(name: str) -> str:
    return (FILES / name).read_text(encoding="utf-8-sig")


def headings(draft):  # type: ignore[no-untyped-def]
    return [block.text for block in draft.blocks if isinstance(block, HeadingDraft)]


def images(draft):  # type: ignore[no-untyped-def]
    return [block for block in draft.blocks if isinstance(block, ImageDraft)]


def paragraphs(draft):  # type: ignore[no-untyped-def]
    return [block.html for block in draft.blocks if isinstance(block, ParagraphDraft)]


def references(draft):  # type: ignore[no-untyped-def]
    return [key for html in paragraphs(draft) for key in re.findall(r"\[\^(\w+)\]", html)]


def body_text(draft):  # type: ignore[no-untyped-def]
    return "\n".join([draft.lead, *paragraphs(draft), *headings(draft)])


# --- the reference page -----------------------------------------------------


@pytest.fixture(scope="module")
def reference():  # type: ignore[no-untyped-def]
    return parse_page_text(read("reference_page.txt"))


def test_reference_author_title_date(reference) -> None:  # type: ignore[no-untyped-def]
    assert reference.author_name == "Асан Жакупов"
    assert reference.author_name_genitive == "Асана Жакупова"
    assert reference.title.startswith("На перекрестке Евразии: динамика")
    assert reference.publication_date == datetime.date(2025, 11, 28)
    assert reference.warnings == []


def test_reference_headings_are_the_three_short_lines(reference) -> None:  # type: ignore[no-untyped-def]
    assert headings(reference) == [
        "Эволюция казахстанско-турецкой военной кооперации",
        "Основные направления военного сотрудничества",
        "Казахстан в орбите геополитического влияния Турции?",
    ]
    assert all(block.level == "h2" for block in reference.blocks if isinstance(block, HeadingDraft))


def test_reference_lead_is_the_first_paragraph_and_not_repeated(reference) -> None:  # type: ignore[no-untyped-def]
    assert reference.lead.startswith("С первых лет обретения независимости")
    assert "<p>" not in reference.lead
    assert not any("С первых лет обретения независимости" in html for html in paragraphs(reference))
    # The image comes right after the lead, as on the page.
    assert isinstance(reference.blocks[0], ImageDraft)


def test_reference_a_line_ending_in_a_colon_is_a_paragraph(reference) -> None:  # type: ignore[no-untyped-def]
    assert paragraphs(reference)[0].startswith("<p>Развивая вооруженные силы")


def test_reference_image_and_credit(reference) -> None:  # type: ignore[no-untyped-def]
    [image] = images(reference)
    assert image.filename == "62a67cd3-ea5e-4f95-af49-411091f4400d_NV5aMzo.jpg"
    assert image.credit == "пресс-служба президента РК"
    assert image.caption == ""
    assert image.data is None


def test_reference_footnotes_each_cited_once(reference) -> None:  # type: ignore[no-untyped-def]
    assert [note.key for note in reference.footnotes] == ["1", "2", "3"]
    assert reference.footnotes[0].html.startswith("The military balance 2024.")
    assert reference.footnotes[0].html.endswith("P. 543.")
    assert references(reference) == ["1", "2", "3"]
    body = "".join(paragraphs(reference))
    assert "[[" not in body
    # The space before a mark goes: «долл. [[1]].» → «долл.[^1].»
    assert "2,5 млрд. долл.[^1]. Основной" in body


def test_reference_no_chrome_in_the_article(reference) -> None:  # type: ignore[no-untyped-def]
    text = body_text(reference)
    for chrome in CHROME:
        assert chrome not in text
    assert "Увеличение количества мусора" not in text
    assert "228 (66.67%)" not in text
    assert not any("military balance" in html for html in paragraphs(reference))


def test_reference_poll(reference) -> None:  # type: ignore[no-untyped-def]
    poll = reference.poll
    assert poll is not None
    assert poll.number == 1
    assert poll.question.startswith("Какие угрозы для окружающей среды")
    assert poll.question.endswith("сегодня?")
    assert "Отметьте" not in poll.question
    assert poll.max_choices == 3
    assert poll.closed is True
    assert len(poll.options) == 9
    first = poll.options[0]
    assert (first.text, first.votes, first.percent) == ("Увеличение количества мусора", 228, 66.67)
    assert (poll.options[-1].text, poll.options[-1].votes) == ("Звуковое загрязнение", 25)


def test_reference_quotes_kept_as_written(reference) -> None:  # type: ignore[no-untyped-def]
    body = "".join(paragraphs(reference))
    assert "«средняя держава»" in body
    assert "“Зенит”" in body


def test_fingerprint_ignores_line_endings_and_trailing_spaces() -> None:
    text = read("reference_page.txt")
    crlf = "\ufeff" + "\r\n".join(line + "  " for line in text.split("\n"))
    fingerprint = draft_fingerprint(parse_page_text(text))
    assert len(fingerprint) == 64
    assert draft_fingerprint(parse_page_text(crlf)) == fingerprint
    changed = text.replace("28 ноября 2025", "29 ноября 2025")
    assert draft_fingerprint(parse_page_text(changed)) != fingerprint


# --- our own pages ----------------------------------------------------------


def test_female_author_no_images_one_footnote_no_poll() -> None:
    draft = parse_page_text(read("tokaeva_water.txt"))
    assert draft.author_name == "Дина Токаева"
    assert draft.author_name_genitive == "Дины Токаевой"
    assert draft.publication_date == datetime.date(2025, 3, 3)
    assert draft.lead.startswith("Споры о распределении воды")
    assert headings(draft) == ["Кто управляет водой?", "Новые форматы сотрудничества"]
    assert images(draft) == []
    assert [note.key for note in draft.footnotes] == ["1"]
    assert references(draft) == ["1"]
    assert draft.poll is None
    assert draft.warnings == []
    for chrome in CHROME:
        assert chrome not in body_text(draft)


def test_short_lines_that_read_as_sentences_stay_paragraphs() -> None:
    draft = parse_page_text(read("tokaeva_water.txt"))
    texts = paragraphs(draft)
    assert "<p>Что можно сделать:</p>" in texts
    assert "<p>Во-первых, нужна общая система мониторинга стока.</p>" in texts


def test_text_that_looks_like_markup_stays_text() -> None:
    draft = parse_page_text(read("tokaeva_water.txt"))
    [html] = [html for html in paragraphs(draft) if "черновик" in html]
    assert '&lt;b&gt;«черновик»&lt;/b&gt; &amp; &lt;a href="#"&gt;здесь&lt;/a&gt;' in html
    assert "<b>" not in html and "<a " not in html


def test_two_images_seven_footnotes_one_cited_twice_and_a_poll() -> None:
    draft = parse_page_text(read("sokolov_drones.txt"))
    assert draft.author_name == "Игорь Петрович Соколов"
    assert draft.author_name_genitive == "Игоря Петровича Соколова"
    first, second = images(draft)
    assert (first.filename, first.caption, first.credit) == (
        "drone-parade_2023.JPG",
        "Парад военной техники",
        "министерство обороны",
    )
    assert (second.filename, second.caption, second.credit) == (
        "ew-systems.png",
        "",
        "открытые источники",
    )
    assert headings(draft) == [
        "Рынок и поставщики",
        "Как отвечает противовоздушная оборона",
        "Выводы для региона",
    ]
    assert [note.key for note in draft.footnotes] == [str(n) for n in range(1, 8)]
    assert references(draft) == ["1", "2", "3", "4", "2", "5", "6", "7"]
    assert draft.poll is not None
    assert (draft.poll.number, draft.poll.max_choices, len(draft.poll.options)) == (2, 2, 4)
    assert draft.poll.options[2].percent == 20.0
    assert draft.warnings == []


def test_windows_file_with_bom_crlf_no_footnotes_no_share_links() -> None:
    draft = parse_page_text(read("beletskaya_corridors.txt"))
    assert draft.author_name == "Ольга Белецкая"
    assert draft.publication_date == datetime.date(2023, 9, 5)  # «5 сентября 2023 г.»
    assert draft.title == "Торговые коридоры Евразии после 2022 года"
    assert headings(draft) == ["«Средний коридор» и его пределы", "Север — Юг", "Итоги"]
    [image] = images(draft)
    assert (image.filename, image.caption, image.credit) == ("corridor-map.webp", "", "")
    assert draft.footnotes == []
    assert draft.poll is None
    assert paragraphs(draft)[-1].startswith("<p>Ни один из новых маршрутов")


# --- smaller rules ----------------------------------------------------------

PAGE = """Блог Тимура Сулейменова

Заголовок статьи

1 декабря 2024

{body}
"""


def test_first_paragraph_citing_a_note_stays_in_the_body() -> None:
    draft = parse_page_text(PAGE.format(body="Первый абзац со ссылкой [[1]].\n\n[1] Источник."))
    assert draft.lead == ""
    assert paragraphs(draft) == ["<p>Первый абзац со ссылкой[^1].</p>"]
    assert any("first paragraph cites a footnote" in warning for warning in draft.warnings)


def test_mismatched_notes_are_warned_about() -> None:
    body = "Лид.\n\nАбзац [[1]] и [[2]].\n\n[1] Первая.\n[3] Третья.\nПродолжение третьей."
    draft = parse_page_text(PAGE.format(body=body))
    assert [note.key for note in draft.footnotes] == ["1", "3"]
    assert draft.footnotes[1].html == "Третья. Продолжение третьей."
    assert any("[[2]]" in warning for warning in draft.warnings)
    assert any("Note [3] is never cited" in warning for warning in draft.warnings)


def test_a_short_line_after_an_image_is_its_caption() -> None:
    body = "Лид.\n\nphoto.png\nПодпись к фото\nИсточник: агентство\n\nТекст."
    [image] = images(parse_page_text(PAGE.format(body=body)))
    assert (image.caption, image.credit) == ("Подпись к фото", "агентство")


def test_two_short_lines_in_a_row_make_one_heading() -> None:
    body = "Лид.\n\nАбзац.\n\nРаздел\n\nКороткая строка\n\nЕщё абзац."
    assert headings(parse_page_text(PAGE.format(body=body))) == ["Раздел"]


def test_a_short_last_line_is_a_paragraph() -> None:
    body = "Лид.\n\nАбзац.\n\nПоследняя строка"
    draft = parse_page_text(PAGE.format(body=body))
    assert headings(draft) == []
    assert paragraphs(draft)[-1] == "<p>Последняя строка</p>"


def test_messages_give_the_line_number_in_the_file() -> None:
    with pytest.raises(ImportFailed, match="line 7 after «Блог …» is a date"):
        parse_page_text("\n\nБлог Тимура Сулейменова\n\n\n\n28 ноября 2025\nТекст.")


def test_without_a_date_line_the_import_warns() -> None:
    draft = parse_page_text("Блог Тимура Сулейменова\nЗаголовок\nРаспечатать\nЛид статьи.\nАбзац.")
    assert draft.publication_date is None
    assert draft.lead == "Лид статьи."
    assert any("No date line" in warning for warning in draft.warnings)


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("Отметьте не более одного пункта", 1),
        ("Отметьте не более двух пунктов", 2),
        ("Отметьте не более трёх пунктов", 3),
        ("Отметьте не более четырех вариантов", 4),
        ("Отметьте не более пяти пунктов", 5),
        ("Отметьте не более 7 пунктов", 7),
        ("Выберите один вариант", 1),
        ("", 1),
    ],
)
def test_poll_max_choices(instruction: str, expected: int) -> None:
    body = (
        "Лид.\n\nАбзац.\n\nПоделиться статьей\n\nПрошедший опрос\n\n"
        f"  3. Как вы оцениваете ситуацию? {instruction}\n"
        "    Хорошо  \n     10 (50%)\n    Плохо  \n     10 (50%)\nБизнесу\n"
    )
    poll = parse_page_text(PAGE.format(body=body)).poll
    assert poll is not None
    assert (poll.number, poll.question, poll.max_choices) == (
        3,
        "Как вы оцениваете ситуацию?",
        expected,
    )
    assert [option.text for option in poll.options] == ["Хорошо", "Плохо"]


def test_a_poll_without_results_is_dropped_with_a_warning() -> None:
    body = "Лид.\n\nАбзац.\n\nПрошедший опрос\n\n1. Вопрос?\nВариант без цифр\n"
    draft = parse_page_text(PAGE.format(body=body))
    assert draft.poll is None
    assert any("poll was not imported" in warning for warning in draft.warnings)
    assert "Вопрос" not in body_text(draft)


# --- input that is not a saved page -----------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("  \n\u00a0\n", "The file is empty."),
        (
            "Lorem ipsum dolor sit amet.\nConsectetur adipiscing elit.",
            "the first line should be «Блог <author's name>» (or «<Author's name>'s Blog»), "
            "but line 1 is «Lorem ipsum",
        ),
        ("Блог Асана Жакупова\n\n", "There is no title"),
        ("Блог Асана Жакупова\n28 ноября 2025\nТекст.", "There is no title"),
        ("Блог Асана Жакупова\nЗаголовок\n28 ноября 2025\nРаспечатать\n", "has no text"),
        ("Блог Асана Жакупова\nЗаголовок\n31 февраля 2025\nТекст.", "not a real date"),
        ("Блог Асана Жакупова\n" + "Очень длинный заголовок " * 20, "too long for a title"),
    ],
)
def test_text_not_in_the_format_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ImportFailed) as raised:
        parse_page_text(text)
    assert message in raised.value.message


# --- the English form of the page -------------------------------------------


@pytest.fixture(scope="module")
def english():  # type: ignore[no-untyped-def]
    return parse_page_text(read("sokolov_drones_en.txt"))


def test_english_author_title_and_date(english) -> None:  # type: ignore[no-untyped-def]
    assert (english.author_name, english.author_name_genitive) == ("Igor Sokolov", "")
    assert english.title == "Drones in the South Caucasus: lessons of recent conflicts"
    assert english.publication_date == datetime.date(2024, 1, 14)
    assert not english.warnings


def test_english_headings_images_credits_and_notes(english) -> None:  # type: ignore[no-untyped-def]
    # «Notes» over the list is the list's heading, not a section of the text.
    assert headings(english) == [
        "Makers and markets",
        "How air defence answers",
        "What it means for the region",
    ]
    assert [(image.filename, image.caption, image.credit) for image in images(english)] == [
        ("drone-parade_2023.JPG", "A parade of military hardware", "Ministry of Defence"),
        ("ew-systems.png", "", "open sources"),
    ]
    assert [note.key for note in english.footnotes] == [str(n) for n in range(1, 8)]
    assert english.footnotes[-1].html == "The author's estimate from open data."
    assert sorted(set(references(english)), key=int) == [note.key for note in english.footnotes]


def test_english_chrome_stays_out_of_the_article(english) -> None:  # type: ignore[no-untyped-def]
    text = body_text(english)
    for chrome in ("Print", "Share", "Past poll", "Choose no more", "Social network", "Notes"):
        assert chrome not in text
    assert english.lead.startswith("Unmanned aircraft have changed")


def test_english_past_poll(english) -> None:  # type: ignore[no-untyped-def]
    poll = english.poll
    assert poll is not None
    assert (poll.number, poll.max_choices, poll.closed) == (2, 2, True)
    assert poll.question == "Which technologies will change armies most over the next ten years?"
    assert [option.votes for option in poll.options] == [120, 95, 40, 25]
    assert poll.options[0].text == "Unmanned systems"


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("28 November 2025", datetime.date(2025, 11, 28)),
        ("3 May 2024", datetime.date(2024, 5, 3)),
        ("November 28, 2025", datetime.date(2025, 11, 28)),
        ("28 ноября 2025", datetime.date(2025, 11, 28)),
    ],
)
def test_english_dates(date_line: str, expected: datetime.date) -> None:
    draft = parse_page_text(f"Blog of Asan Zhakupov\nA title\n{date_line}\nA paragraph.")
    assert draft.publication_date == expected
    assert draft.author_name == "Asan Zhakupov"


def test_an_impossible_english_date_is_refused() -> None:
    with pytest.raises(ImportFailed, match="not a real date"):
        parse_page_text("Asan Zhakupov's Blog\nA title\n31 February 2025\nA paragraph.")


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("Choose no more than 3", 3),
        ("Choose no more than two options.", 2),
        ("Select up to 4 answers", 4),
        ("Choose one option", 1),
    ],
)
def test_english_poll_instructions(instruction: str, expected: int) -> None:
    text = (
        "Asan Zhakupov's Blog\nA title\n1 March 2024\nA paragraph.\nShare\nPast poll\n"
        f"1. Which is it? {instruction}\nThis\n10 (50%)\nThat\n10 (50%)\n"
    )
    poll = parse_page_text(text).poll
    assert poll is not None
    assert (poll.question, poll.max_choices) == ("Which is it?", expected)
