from vestnik.articles.footnotes import FootnoteIndex

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
