import re

import pytest

from vestnik.articles.footnotes import (
    KEY_MAX_CHARS,
    MARKER,
    FootnoteIndex,
    is_valid_key,
    key_normalise,
    marker,
    markers_defuse,
)

NOTES = [("imf", "IMF"), ("sipri", "SIPRI"), ("unused", "Never cited")]


def test_numbered_by_first_reference_across_blocks() -> None:
    index = FootnoteIndex(NOTES, ["<p>A [^sipri]</p>", "<p>B [^imf] C [^sipri]</p>"])
    assert [(n.number, n.key) for n in index.notes] == [(1, "sipri"), (2, "imf"), (3, "unused")]


def test_repeated_reference_links_back_to_every_occurrence() -> None:
    texts = ["<p>A [^imf]</p>", "<p>B [^imf]</p>"]
    index = FootnoteIndex(NOTES, texts)
    first = index.render(texts[0])
    second = index.render(texts[1])
    assert 'id="fnref-1"' in first and 'href="#fn-1"' in first
    assert 'id="fnref-1-2"' in second
    assert index.notes[0].backlink_ids == ["fnref-1", "fnref-1-2"]
    assert 'role="doc-noteref"' in first


def test_unknown_key_stays_visible_and_is_reported() -> None:
    index = FootnoteIndex(NOTES, ["<p>[^nope]</p>"])
    assert index.render("<p>[^nope]</p>") == "<p>[^nope]</p>"
    assert index.unknown_keys == {"nope"}


# --- the marker grammar -----------------------------------------------------


@pytest.mark.parametrize("key", ["1", "imf-2024", "sipri_2", "мвф", "k" * KEY_MAX_CHARS])
def test_a_valid_key_is_read_back_from_its_marker(key: str) -> None:
    assert is_valid_key(key)
    assert [m.group(1) for m in MARKER.finditer(f"<p>x{marker(key)}.</p>")] == [key]


@pytest.mark.parametrize("key", ["", "bad key", "a.b", "k" * (KEY_MAX_CHARS + 1)])
def test_an_invalid_key_is_not_a_marker(key: str) -> None:
    assert not is_valid_key(key)
    assert MARKER.fullmatch(marker(key)) is None


@pytest.mark.parametrize(
    ("key", "taken", "expected"),
    [
        ("IMF report, 2024", (), "IMF-report-2024"),
        ("k" * 50, (), "k" * KEY_MAX_CHARS),
        ("!!!", ("1", "2"), "3"),
        ("a b", ("a-b", "1"), "2"),
    ],
)
def test_key_normalise(key: str, taken: tuple[str, ...], expected: str) -> None:
    normalised = key_normalise(key, taken)
    assert normalised == expected
    assert is_valid_key(normalised)


def test_defused_text_renders_as_written_and_reports_nothing() -> None:
    text = markers_defuse("<p>Синтаксис сносок: [^1].</p>")
    index = FootnoteIndex(NOTES, [text])
    assert MARKER.search(text) is None
    assert index.render(text) == text
    assert index.unknown_keys == set()


# --- markers only in text -----------------------------------------------------


def test_a_marker_inside_a_link_address_stays_part_of_the_address() -> None:
    html = '<p>See <a href="http://x/[^imf]">the data</a> [^imf].</p>'
    index = FootnoteIndex(NOTES, [html])
    rendered = index.render(html)
    assert rendered.startswith(
        '<p>See <a href="http://x/[^imf]">the data</a> <sup class="noteref">'
    )
    assert rendered.count("<a ") == 2
    assert index.notes[0].key == "imf"
    assert index.notes[0].backlink_ids == ["fnref-1"]  # the address is not a reference


def test_markers_in_attributes_comments_and_scripts_are_not_references() -> None:
    html = (
        "<p title=\"[^sipri]\">A &amp; B\n<a href='/q?a=[^sipri]&amp;b'>x</a>"
        "<!-- [^sipri] --><script>var a = '[^sipri]';</script>\n&nbsp;[^imf]<br/>[^imf]</p>"
    )
    index = FootnoteIndex(NOTES, [html])
    assert [(note.number, note.key) for note in index.notes][:2] == [(1, "imf"), (2, "sipri")]
    assert index.notes[1].backlink_ids == []
    rendered = index.render(html)
    assert rendered.count("[^sipri]") == 4
    assert rendered.count('role="doc-noteref"') == 2
    without_refs = re.sub(r'<sup class="noteref">.*?</sup>', "[^imf]", rendered)
    assert without_refs == html  # everything but the two text markers is copied as it was
